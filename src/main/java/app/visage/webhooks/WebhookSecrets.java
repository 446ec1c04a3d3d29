package app.visage.webhooks;

import app.visage.config.VisageConfig;
import app.visage.jobs.port.ClientWebhookSender.Undeliverable;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code visage.webhooks.secret}: one {@code whsec_<base64>} secret, or two, comma-separated, while it is rotated
 * (the first is the current one). Read once, at start-up ({@link Startup}), so a malformed value stops the start
 * rather than every delivery; an absent one does not, as jobs without client webhooks still run. Never quoted in a
 * message: only what is wrong with it.
 */
@Startup
@ApplicationScoped
public class WebhookSecrets {
    static final int MAX = 2;

    /** The HMAC keys, the current one first; empty while no secret is configured. */
    private final List<byte[]> keys;

    public WebhookSecrets(VisageConfig config) {
        keys = parse(config.webhooks().secret().filter(s -> !s.isBlank()).orElse(null));
    }

    /** The HMAC keys, the current one first; each delivery fails while none is configured. */
    List<byte[]> keys() {
        if (keys.isEmpty()) {
            throw new Undeliverable("no visage.webhooks.secret is configured");
        }
        return keys;
    }

    private static List<byte[]> parse(String value) {
        if (value == null) {
            return List.of();
        }
        String[] secrets = value.split(",", -1);
        if (secrets.length > MAX) {
            throw new IllegalStateException(
                    "visage.webhooks.secret lists " + secrets.length + " secrets; at most " + MAX);
        }
        List<byte[]> keys = new ArrayList<>();
        for (String secret : secrets) {
            String stripped = secret.strip();
            try {
                byte[] key = Base64.getDecoder()
                        .decode(stripped.startsWith("whsec_") ? stripped.substring("whsec_".length()) : stripped);
                if (key.length == 0) {
                    throw new IllegalArgumentException("empty");
                }
                keys.add(key);
            } catch (IllegalArgumentException e) {
                // Not e's message: Base64's names the offending character of the secret.
                throw new IllegalStateException(
                        "secret " + (keys.size() + 1) + " of visage.webhooks.secret is not whsec_ and base64");
            }
        }
        return List.copyOf(keys);
    }
}
