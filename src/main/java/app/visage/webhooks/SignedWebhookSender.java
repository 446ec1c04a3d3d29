package app.visage.webhooks;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client webhooks per Standard Webhooks: body {@code {type, timestamp, data: <job view>}}, headers
 * {@code webhook-id} (the message's, stable across retries and replays), {@code webhook-timestamp} (Unix
 * seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>} keyed with
 * the {@code whsec_} secret; while a secret is rotated ({@code visage.webhooks.secret} lists two), one such
 * signature per secret, space-delimited, the current (first) one first. The URL passes the egress rules again at
 * every attempt, and the delivery goes to the address that passed them; no redirects.
 */
@ApplicationScoped
public class SignedWebhookSender implements ClientWebhookSender {
    /** Connect and answer: Standard Webhooks suggests 15-30 s before an attempt counts as failed. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final JobViews views;
    private final WebhookSecrets secrets;
    private final EgressPolicy policy;
    private final PinnedHttp http;

    public SignedWebhookSender(JobViews views, WebhookSecrets secrets, EgressPolicy policy, PinnedHttp http) {
        this.views = views;
        this.secrets = secrets;
        this.policy = policy;
        this.http = http;
    }

    @Override
    public Answer send(ShownJob shown, ClientWebhook message, Instant timestamp) {
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
                signatures(message.messageId() + "." + seconds + ".", body));
        try {
            PinnedHttp.Answer answer = http.post(to, headers, body, TIMEOUT);
            boolean mayAskToWait = answer.status() == 429 || answer.status() == 503;
            return new Answer(
                    answer.status(),
                    mayAskToWait
                            ? RetryAfter.parse(answer.retryAfter(), timestamp).orElse(null)
                            : null);
        } catch (IOException e) {
            throw new Undeliverable("no answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Undeliverable("interrupted");
        }
    }

    /** {@code v1,<signature>} per configured secret, space-delimited, the current secret's first. */
    private String signatures(String prefix, byte[] body) {
        List<String> signatures = new ArrayList<>();
        for (byte[] key : secrets.keys()) {
            signatures.add("v1," + sign(key, prefix, body));
        }
        return String.join(" ", signatures);
    }

    private static String sign(byte[] key, String prefix, byte[] body) {
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
