package app.visage.jobs.model;

import java.security.SecureRandom;

/**
 * The process's one source of unpredictable values: job ids, webhook tokens, multipart boundaries, seeds. A native
 * image runs the static initialisers of application classes at build time, so a {@code SecureRandom} held in a
 * static field elsewhere would be built into the executable, seeded once for every process that ever starts. This
 * class alone is initialised at run time ({@code --initialize-at-run-time} in application.properties);
 * NativeImageRulesTest keeps every other class from holding such state.
 */
public final class Entropy {
    private static final SecureRandom SOURCE = new SecureRandom();

    private Entropy() {}

    public static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        SOURCE.nextBytes(bytes);
        return bytes;
    }

    /** Uniform in {@code [0, bound)}. */
    public static long nextLong(long bound) {
        return SOURCE.nextLong(bound);
    }
}
