package app.visage.storage;

import static app.visage.storage.StoredFormat.VERSION_FIELD;

import app.visage.jobs.model.JobId;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code slots/{provider}/{n}.json}: the job holding a provider slot, {@code job_id} absent when the slot is free
 * (see {@link StoredJob} on names).
 */
@RegisterForReflection
public record StoredSlot(
        @JsonProperty(VERSION_FIELD) int schemaVersion,
        @JsonProperty("job_id") String jobId) {

    public static final StoredFormat<StoredSlot> FORMAT = new StoredFormat<>(StoredSlot.class, 1);

    /** The slot held by {@code holder}; null frees it. */
    public static StoredSlot of(JobId holder) {
        return new StoredSlot(FORMAT.version(), holder == null ? null : holder.value());
    }

    /** The holder, null when free. */
    public JobId toDomain() {
        return jobId == null ? null : JobId.of(jobId);
    }
}
