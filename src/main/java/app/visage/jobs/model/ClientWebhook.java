package app.visage.jobs.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery of one event of a job to the client's {@code webhook} URL, kept on the job record: one message
 * ({@code webhook-id} stable across retries and replays), each attempt, and when to try next. A replay opens a new
 * round of the same message: the retry schedule starts again from {@code roundStart}.
 *
 * @param state {@code waiting} (first or next attempt at {@code nextAttemptAt}), {@code sending} (an attempt is in
 *              flight until {@code nextAttemptAt}), {@code delivered}, {@code disabled} (410 Gone) or {@code failed}
 * @param roundStart how many of {@code attempts} came before the current round
 */
@RegisterForReflection
public record ClientWebhook(
        String messageId, String type, String state, Instant nextAttemptAt, List<Attempt> attempts, int roundStart) {

    /** Standard Webhooks' suggested schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h. */
    static final List<Duration> RETRIES = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(24));
    /** A receiver's {@code Retry-After} is honoured up to the schedule's longest wait. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);
    /** Longer than one attempt may take: past it, the sender is presumed dead and the attempt is due again. */
    static final Duration ATTEMPT_LEASE = Duration.ofMinutes(1);
    /** Attempts kept per event (the oldest go first): replays cannot grow a record without end. */
    public static final int KEPT_ATTEMPTS = 24;

    public ClientWebhook {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** One try: when, and the HTTP status answered (null when no answer, with {@code error} saying why). */
    @RegisterForReflection
    public record Attempt(Instant at, Integer status, String error) {}

    /** One attempt as the view lists them: with the event and message it carried. */
    public record Sent(String type, String messageId, Attempt attempt) {}

    /** An event owed since {@code at}, not tried yet: sent once every earlier event of its job is done. */
    static ClientWebhook owed(JobId job, String type, Instant at) {
        // The end's id is the one every build before events used: a message in flight keeps its id over an upgrade.
        String id = type.equals("job.started") || type.equals("job.output")
                ? "msg_" + job.value() + "_" + type.substring(4)
                : "msg_" + job.value();
        return new ClientWebhook(id, type, "waiting", at, null, 0);
    }

    public boolean finished() {
        return state.equals("delivered") || state.equals("disabled") || state.equals("failed");
    }

    public boolean due(Instant now) {
        return !finished() && !now.isBefore(nextAttemptAt);
    }

    /** A replay asked for and not tried yet: a second ask adds nothing. */
    boolean freshRound() {
        return state.equals("waiting") && roundStart == attempts.size();
    }

    ClientWebhook sending(Instant now) {
        return new ClientWebhook(messageId, type, "sending", now.plus(ATTEMPT_LEASE), attempts, roundStart);
    }

    /** A new round of the same message, due at once, on the whole schedule again. */
    ClientWebhook replayed(Instant now) {
        return new ClientWebhook(messageId, type, "waiting", now, attempts, attempts.size());
    }

    /**
     * Records an attempt and what follows: done on 2xx, stopped on 410, else the next retry of this round (with
     * jitter, and not before the receiver's {@code retryAfter} when it gave one) or failed once the round is spent.
     */
    ClientWebhook answered(Attempt attempt, double jitter, Duration retryAfter) {
        List<Attempt> all = new ArrayList<>(attempts);
        all.add(attempt);
        int inRound = all.size() - roundStart;
        int dropped = Math.max(0, all.size() - KEPT_ATTEMPTS);
        List<Attempt> kept = all.subList(dropped, all.size());
        int start = roundStart - dropped;
        Integer status = attempt.status();
        if (status != null && status >= 200 && status < 300) {
            return new ClientWebhook(messageId, type, "delivered", null, kept, start);
        }
        if (status != null && status == 410) {
            return new ClientWebhook(messageId, type, "disabled", null, kept, start);
        }
        if (inRound > RETRIES.size()) {
            return new ClientWebhook(messageId, type, "failed", null, kept, start);
        }
        Duration wait = Duration.ofMillis((long) (RETRIES.get(inRound - 1).toMillis() * (0.9 + 0.2 * jitter)));
        if (retryAfter != null) {
            Duration asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
            wait = asked.compareTo(wait) > 0 ? asked : wait;
        }
        return new ClientWebhook(messageId, type, "waiting", attempt.at().plus(wait), kept, start);
    }
}
