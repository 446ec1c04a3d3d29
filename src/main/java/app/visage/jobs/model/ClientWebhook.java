package app.visage.jobs.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery of a job's end to the client's {@code webhook} URL, kept on the job record: one
 * message ({@code webhook-id} stable across retries), each attempt, and when to try next.
 *
 * @param state {@code sending} (an attempt is in flight until {@code nextAttemptAt}), {@code waiting}
 *              (retry at {@code nextAttemptAt}), {@code delivered}, {@code disabled} (410 Gone) or {@code failed}
 */
@RegisterForReflection
public record ClientWebhook(
        String messageId, String type, String state, Instant nextAttemptAt, List<Attempt> attempts) {

    /** Standard Webhooks' suggested schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h. */
    static final List<Duration> RETRIES = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(24));
    /** Longer than one attempt may take: past it, the sender is presumed dead and the attempt is due again. */
    static final Duration ATTEMPT_LEASE = Duration.ofMinutes(1);

    public ClientWebhook {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** One try: when, and the HTTP status answered (null when no answer, with {@code error} saying why). */
    @RegisterForReflection
    public record Attempt(Instant at, Integer status, String error) {}

    public boolean finished() {
        return state.equals("delivered") || state.equals("disabled") || state.equals("failed");
    }

    public boolean due(Instant now) {
        return !finished() && !now.isBefore(nextAttemptAt);
    }

    public ClientWebhook sending(Instant now) {
        return new ClientWebhook(messageId, type, "sending", now.plus(ATTEMPT_LEASE), attempts);
    }

    /** Records an attempt and what follows: done on 2xx, stopped on 410, else the next retry (with jitter) or failed. */
    ClientWebhook answered(Attempt attempt, double jitter) {
        List<Attempt> all = new ArrayList<>(attempts);
        all.add(attempt);
        Integer status = attempt.status();
        if (status != null && status >= 200 && status < 300) {
            return new ClientWebhook(messageId, type, "delivered", null, all);
        }
        if (status != null && status == 410) {
            return new ClientWebhook(messageId, type, "disabled", null, all);
        }
        if (all.size() > RETRIES.size()) {
            return new ClientWebhook(messageId, type, "failed", null, all);
        }
        Duration wait = RETRIES.get(all.size() - 1);
        long jittered = (long) (wait.toMillis() * (0.9 + 0.2 * jitter));
        return new ClientWebhook(messageId, type, "waiting", attempt.at().plusMillis(jittered), all);
    }
}
