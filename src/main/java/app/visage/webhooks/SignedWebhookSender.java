package app.visage.webhooks;

import app.visage.config.VisageConfig;
import app.visage.egress.Destination;
import app.visage.egress.EgressPolicy;
import app.visage.egress.PinnedHttp;
import app.visage.errors.VisageException;
import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.port.ClientWebhookSender;
import app.visage.jobs.view.JobViews;
import app.visage.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client webhooks per Standard Webhooks: body {@code {type, timestamp, data: <job view>}}, headers
 * {@code webhook-id} (the message's, stable across retries), {@code webhook-timestamp} (Unix
 * seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>} keyed with
 * the {@code whsec_} secret. The URL passes the egress rules again at every attempt, and the
 * delivery goes to the address that passed them; no redirects.
 */
@ApplicationScoped
public class SignedWebhookSender implements ClientWebhookSender {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final JobViews views;
    private final VisageConfig config;
    private final EgressPolicy policy;
    private final PinnedHttp http;

    public SignedWebhookSender(JobViews views, VisageConfig config, EgressPolicy policy, PinnedHttp http) {
        this.views = views;
        this.config = config;
        this.policy = policy;
        this.http = http;
    }

    @Override
    public int send(ShownJob shown, ClientWebhook message, Instant timestamp) {
        Destination to;
        try {
            to = policy.check(URI.create(shown.job().webhook()), "webhook");
        } catch (VisageException e) {
            throw new Undeliverable("the webhook URL was refused: " + e.getMessage());
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", message.type());
        payload.put("timestamp", timestamp.toString());
        payload.put("data", views.view(shown));
        byte[] body = Json.write(payload);
        String seconds = Long.toString(timestamp.getEpochSecond());
        Map<String, String> headers = Map.of(
                "content-type",
                "application/json",
                "webhook-id",
                message.messageId(),
                "webhook-timestamp",
                seconds,
                "webhook-signature",
                "v1," + sign(message.messageId() + "." + seconds + ".", body));
        try {
            return http.post(to, headers, body, TIMEOUT);
        } catch (IOException e) {
            throw new Undeliverable("no answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Undeliverable("interrupted");
        }
    }

    private String sign(String prefix, byte[] body) {
        String secret = config.webhooks()
                .secret()
                .orElseThrow(() -> new Undeliverable("no visage.webhooks.secret is configured"));
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
