package app.visage.storage;

import static app.visage.storage.StoredFormat.VERSION_FIELD;

import app.visage.jobs.model.JobId;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * {@code quotas/{tenant}/active/{n}.json}: the job holding one of a tenant's concurrent-job slots and when it took
 * it, {@code job_id} absent when the slot is free (see {@link StoredJob} on names).
 */
@RegisterForReflection
public record StoredQuotaSlot(
        @JsonProperty(VERSION_FIELD) int schemaVersion,
        @JsonProperty("job_id") String jobId,
        @JsonProperty("since") Instant since) {

    public static final StoredFormat<StoredQuotaSlot> FORMAT = new StoredFormat<>(StoredQuotaSlot.class, 1);

    public static StoredQuotaSlot of(JobId holder, Instant since) {
        return new StoredQuotaSlot(FORMAT.version(), holder == null ? null : holder.value(), since);
    }

    public JobId holder() {
        return jobId == null ? null : JobId.of(jobId);
    }
}
