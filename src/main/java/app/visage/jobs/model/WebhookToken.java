package app.visage.jobs.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The unguessable per-job token in a provider webhook URL. Only its SHA-256 is stored, so a leaked
 * job record does not let anyone finish a job.
 */
public final class WebhookToken {
    private WebhookToken() {}

    public static String generate() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Entropy.bytes(32));
    }

    public static String hash(String token) {
        return HexFormat.of().formatHex(Sha256.of(token));
    }

    /** Constant-time, so response timing tells nothing about how close a guess was. */
    public static boolean matches(String presented, String storedHash) {
        if (presented == null || storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(
                hash(presented).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
