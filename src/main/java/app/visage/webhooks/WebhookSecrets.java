package app.visage.webhooks;

import app.visage.config.Secrets;
import app.visage.config.VisageConfig;
import app.visage.jobs.port.ClientWebhookSender.Undeliverable;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code visage.webhooks.secret}: one {@code whsec_<base64>} secret, or two, comma-separated, while it is rotated
 * (the first is the current one). Read at start-up ({@link Startup}), so a malformed value stops the start rather
 * than every delivery; an absent one does not, as jobs without client webhooks still run. Held in the deployment's
 * secret, it is read again like the provider keys ({@link Secrets}, every {@code visage.secrets.refresh}), so a
 * rotation needs no redeploy; a malformed new value keeps the keys read before it. Never quoted in a message: only
 * what is wrong with it.
 */
@Startup
@ApplicationScoped
public class WebhookSecrets {
    static final String PROPERTY = "visage.webhooks.secret";
    static final int MAX = 2;
    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);

    private final Secrets secrets;
    private volatile Parsed parsed;
    /** The last value refused, so a bad rotation is reported once rather than at every delivery. */
    private volatile String refused;

    /** A value and its HMAC keys, the current one first; no keys while no secret is configured. */
    private record Parsed(String value, List<byte[]> keys) {}

    /** {@link Secrets#NONE}: the configuration's value, for good. */
    @Inject
    public WebhookSecrets(VisageConfig config, Secrets secrets) {
        this.secrets = secrets;
        this.parsed = parse(nonBlank(config.webhooks().secret()));
    }

    /** The HMAC keys, the current one first; each delivery fails while none is configured. */
    List<byte[]> keys() {
        Parsed now = secrets == Secrets.NONE ? parsed : latest();
        if (now.keys().isEmpty()) {
            throw new Undeliverable("no " + PROPERTY + " is configured");
        }
        return now.keys();
    }

    private Parsed latest() {
        Parsed now = parsed;
        String value = nonBlank(secrets.current(PROPERTY));
        if (Objects.equals(value, now.value()) || Objects.equals(value, refused)) {
            return now;
        }
        try {
            now = parse(value);
            parsed = now;
        } catch (IllegalStateException e) {
            refused = value;
            LOG.warnf("keeping the webhook secrets read before: %s", e.getMessage());
        }
        return now;
    }

    private static String nonBlank(Optional<String> value) {
        return value.filter(s -> !s.isBlank()).orElse(null);
    }

    private static Parsed parse(String value) {
        if (value == null) {
            return new Parsed(null, List.of());
        }
        String[] secrets = value.split(",", -1);
        if (secrets.length > MAX) {
            throw new IllegalStateException(PROPERTY + " lists " + secrets.length + " secrets; at most " + MAX);
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
                        "secret " + (keys.size() + 1) + " of " + PROPERTY + " is not whsec_ and base64");
            }
        }
        return new Parsed(value, List.copyOf(keys));
    }
}
