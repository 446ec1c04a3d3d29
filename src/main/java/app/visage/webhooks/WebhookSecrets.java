package app.visage.webhooks;

import app.visage.jobs.port.ClientWebhookSender.Undeliverable;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code visage.webhooks.secret}: one {@code whsec_<base64>} secret, or two, comma-separated, while it is rotated
 * (the first is the current one). Never quoted in a message: only what is wrong with it.
 */
final class WebhookSecrets {
    static final int MAX = 2;

    private WebhookSecrets() {}

    /** The HMAC keys, the current one first. */
    static List<byte[]> keys(Optional<String> configured) {
        String value = configured
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new Undeliverable("no visage.webhooks.secret is configured"));
        String[] secrets = value.split(",", -1);
        if (secrets.length > MAX) {
            throw new Undeliverable("visage.webhooks.secret lists " + secrets.length + " secrets; at most " + MAX);
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
                throw new Undeliverable(
                        "secret " + (keys.size() + 1) + " of visage.webhooks.secret is not whsec_ and base64");
            }
        }
        return keys;
    }
}
