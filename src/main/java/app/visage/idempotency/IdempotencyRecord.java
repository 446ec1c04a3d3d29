package app.visage.idempotency;

import app.visage.jobs.model.JobId;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * {@code idempotency/{hash}.json}: what became of the first request with a key. The job id is chosen
 * when the key is claimed, so every attempt at the same request can only create that one job.
 */
@RegisterForReflection
public record IdempotencyRecord(
        String fingerprint,
        JobId jobId,
        State state,
        Instant createdAt,
        Instant attemptAt,
        Integer status,
        String body) {

    @RegisterForReflection
    public enum State {
        /** A request is working on it (until its lease runs out). */
        IN_FLIGHT,
        /** Answered: replay status and body. */
        DONE,
        /** The attempt failed on our side (5xx): the same request may try again, for the same job. */
        RETRY,
        /** Refused as invalid (4xx): nothing was created, so the key is free again, as if never used. */
        RELEASED
    }

    static IdempotencyRecord claim(String fingerprint, JobId jobId, Instant createdAt, Instant now) {
        return new IdempotencyRecord(fingerprint, jobId, State.IN_FLIGHT, createdAt, now, null, null);
    }

    IdempotencyRecord done(IdempotentRequests.Answer answer) {
        return new IdempotencyRecord(
                fingerprint, jobId, State.DONE, createdAt, attemptAt, answer.status(), answer.body());
    }

    IdempotencyRecord in(State next) {
        return new IdempotencyRecord(fingerprint, jobId, next, createdAt, attemptAt, null, null);
    }
}
