package app.visage.jobs;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The job record stored at {@code jobs/{id}.json}. Immutable: every change is a new record
 * written with a compare-and-swap, through {@link JobRecords}.
 */
@RegisterForReflection
public record Job(
        JobId id,
        JobStatus status,
        Operation operation,
        String provider,
        Map<String, Object> params,
        Map<String, String> metadata,
        String webhook,
        String webhookTokenHash,
        StoredObject input,
        UploadSlot upload,
        List<StoredObject> outputs,
        Map<String, Object> result,
        JobError error,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Dispatch dispatch,
        ClientWebhook clientWebhook,
        String tenant) {

    public Job {
        params = params == null ? Map.of() : Map.copyOf(params);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        dispatch = dispatch == null ? Dispatch.NONE : dispatch;
    }

    /** A record of the anonymous tenant with no client webhook deliveries yet. */
    public Job(
            JobId id,
            JobStatus status,
            Operation operation,
            String provider,
            Map<String, Object> params,
            Map<String, String> metadata,
            String webhook,
            String webhookTokenHash,
            StoredObject input,
            UploadSlot upload,
            List<StoredObject> outputs,
            Map<String, Object> result,
            JobError error,
            Instant createdAt,
            Instant updatedAt,
            Instant expiresAt,
            Dispatch dispatch) {
        this(
                id,
                status,
                operation,
                provider,
                params,
                metadata,
                webhook,
                webhookTokenHash,
                input,
                upload,
                outputs,
                result,
                error,
                createdAt,
                updatedAt,
                expiresAt,
                dispatch,
                null,
                null);
    }

    /** A new job, waiting for its provider (with {@code input}) or for its upload (with {@code upload}). */
    public static Job queued(
            JobId id,
            Tenant tenant,
            Operation operation,
            Provider provider,
            Params params,
            Map<String, String> metadata,
            URI webhook,
            StoredObject input,
            UploadSlot upload,
            Instant now,
            Duration ttl) {
        return new Job(
                id,
                JobStatus.QUEUED,
                operation,
                provider.id(),
                params.toStored(),
                metadata,
                webhook == null ? null : webhook.toString(),
                null,
                input,
                upload,
                List.of(),
                null,
                null,
                now,
                now,
                now.plus(ttl),
                Dispatch.NONE,
                null,
                tenant.id());
    }

    /** The same job in {@code next} state; callers check the move with {@link JobStatus#canMoveTo}. */
    public Job moveTo(JobStatus next, Instant now) {
        return new Job(
                id,
                next,
                operation,
                provider,
                params,
                metadata,
                webhook,
                webhookTokenHash,
                input,
                upload,
                outputs,
                result,
                error,
                createdAt,
                now,
                expiresAt,
                dispatch,
                clientWebhook,
                tenant);
    }

    /** Still queued, but being started: only the claimer calls the provider, with a fresh webhook token. */
    public Job claimed(String tokenHash, Dispatch claim, Instant now) {
        return new Job(
                id,
                status,
                operation,
                provider,
                params,
                metadata,
                webhook,
                tokenHash,
                input,
                upload,
                outputs,
                result,
                error,
                createdAt,
                now,
                expiresAt,
                claim,
                clientWebhook,
                tenant);
    }

    public Job withDispatch(Dispatch next, Instant now) {
        return new Job(
                id,
                status,
                operation,
                provider,
                params,
                metadata,
                webhook,
                webhookTokenHash,
                input,
                upload,
                outputs,
                result,
                error,
                createdAt,
                now,
                expiresAt,
                next,
                clientWebhook,
                tenant);
    }

    /** The provider has the job (or may have it): processing. */
    public Job accepted(Dispatch next, Instant now) {
        return new Job(
                id,
                JobStatus.PROCESSING,
                operation,
                provider,
                params,
                metadata,
                webhook,
                webhookTokenHash,
                input,
                upload,
                outputs,
                result,
                error,
                createdAt,
                now,
                expiresAt,
                next,
                clientWebhook,
                tenant);
    }

    public Job withClientWebhook(ClientWebhook next, Instant now) {
        return new Job(
                id,
                status,
                operation,
                provider,
                params,
                metadata,
                webhook,
                webhookTokenHash,
                input,
                upload,
                outputs,
                result,
                error,
                createdAt,
                now,
                expiresAt,
                dispatch,
                next,
                tenant);
    }

    public Job withInput(StoredObject newInput) {
        return new Job(
                id,
                status,
                operation,
                provider,
                params,
                metadata,
                webhook,
                webhookTokenHash,
                newInput,
                upload,
                outputs,
                result,
                error,
                createdAt,
                updatedAt,
                expiresAt,
                dispatch,
                clientWebhook,
                tenant);
    }

    public Job succeeded(List<StoredObject> newOutputs, Map<String, Object> newResult, Instant now) {
        return new Job(
                id,
                JobStatus.SUCCEEDED,
                operation,
                provider,
                params,
                metadata,
                webhook,
                webhookTokenHash,
                input,
                upload,
                newOutputs,
                newResult,
                null,
                createdAt,
                now,
                expiresAt,
                dispatch,
                clientWebhook,
                tenant);
    }

    public Job failed(JobError newError, Instant now) {
        return new Job(
                id,
                JobStatus.FAILED,
                operation,
                provider,
                params,
                metadata,
                webhook,
                webhookTokenHash,
                input,
                upload,
                outputs,
                result,
                newError,
                createdAt,
                now,
                expiresAt,
                dispatch,
                clientWebhook,
                tenant);
    }

    /**
     * Objects are gone, and so is what was measured of the face; the record stays so the job's view
     * can say what happened.
     */
    public Job expired(Instant now) {
        return new Job(
                id,
                JobStatus.EXPIRED,
                operation,
                provider,
                params,
                metadata,
                webhook,
                webhookTokenHash,
                null,
                null,
                List.of(),
                null,
                error,
                createdAt,
                now,
                expiresAt,
                dispatch,
                clientWebhook,
                tenant);
    }
}
