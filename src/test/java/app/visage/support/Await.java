package app.visage.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what other threads do: emulators, the embedded queue's deliveries. */
public final class Await {
    private Await() {}

    /** Waits (in real time, at most 10 s) until {@code condition} holds. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
