package app.visage.storage;

import static app.visage.storage.StoredFormat.VERSION_FIELD;

import app.visage.idempotency.IdempotencyRecord;
import app.visage.idempotency.IdempotencyRecord.State;
import app.visage.jobs.model.JobId;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** {@code idempotency/{sha256}.json}: an {@link IdempotencyRecord} as stored (see {@link StoredJob} on names). */
@RegisterForReflection
public record StoredIdempotencyRecord(
        @JsonProperty(VERSION_FIELD) int schemaVersion,
        @JsonProperty("fingerprint") String fingerprint,
        @JsonProperty("job_id") String jobId,
        @JsonProperty("state") String state,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("attempt_at") Instant attemptAt,
        @JsonProperty("status") Integer status,
        @JsonProperty("body") String body) {

    public static final StoredFormat<StoredIdempotencyRecord> FORMAT =
            new StoredFormat<>(StoredIdempotencyRecord.class, 1);

    public static StoredIdempotencyRecord of(IdempotencyRecord record) {
        return new StoredIdempotencyRecord(
                FORMAT.version(),
                record.fingerprint(),
                record.jobId().value(),
                storedState(record.state()),
                record.createdAt(),
                record.attemptAt(),
                record.status(),
                record.body());
    }

    public IdempotencyRecord toDomain() {
        return new IdempotencyRecord(
                fingerprint, JobId.of(jobId), domainState(state), createdAt, attemptAt, status, body);
    }

    /** Stored names, independent of the domain's: the build fails here when a state is added. */
    private static String storedState(State state) {
        return switch (state) {
            case IN_FLIGHT -> "IN_FLIGHT";
            case DONE -> "DONE";
            case RETRY -> "RETRY";
            case RELEASED -> "RELEASED";
        };
    }

    private static State domainState(String stored) {
        for (State state : State.values()) {
            if (storedState(state).equals(stored)) {
                return state;
            }
        }
        throw new UnreadableRecord(
                "a stored idempotency record has the state '" + stored + "', which this build does not know", null);
    }
}
