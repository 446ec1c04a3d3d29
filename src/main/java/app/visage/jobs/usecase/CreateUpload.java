package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.UploadSlot;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/** POST /v1/uploads: a queued job waiting for its photo, and a signed form to POST it to S3 with. */
@ApplicationScoped
public class CreateUpload {
    private final JobRecords records;
    private final FileStore files;
    private final VisageConfig config;
    private final Clock clock;

    public CreateUpload(JobRecords records, FileStore files, VisageConfig config, Clock clock) {
        this.records = records;
        this.files = files;
        this.config = config;
        this.clock = clock;
    }

    /** A command whose job already exists (a retried idempotent request) gets a fresh form for that job's slot. */
    public Ticket create(UploadCommand command) {
        JobId id = command.id();
        Instant now = clock.instant();
        Instant uploadBy = now.plus(config.uploadUrlTtl());
        String contentType = command.format().mediaType();
        UploadSlot slot = new UploadSlot(Keys.upload(id, command.format().extension()), contentType, uploadBy);
        Job job = Job.queued(
                        id,
                        command.tenant(),
                        command.operation(),
                        command.provider().id(),
                        command.params(),
                        command.metadata(),
                        command.webhook(),
                        null,
                        slot,
                        now,
                        config.ttl())
                .toBuilder()
                .fallbacks(command.fallbacks())
                .attempts(command.passedOver())
                .webhookEvents(command.webhookEvents())
                .build();
        try {
            records.create(job);
        } catch (JobStore.AlreadyExists e) {
            job = records.find(id)
                    .orElseThrow(() -> new IllegalStateException("job " + id + " exists but cannot be read"));
            slot = job.upload();
        }
        long maxBytes = config.maxImageBytes();
        FileStore.UploadForm form = files.presignPost(slot.key(), slot.contentType(), maxBytes, now, slot.expiresAt());
        return new Ticket(job, form, maxBytes, slot.expiresAt());
    }

    public record Ticket(Job job, FileStore.UploadForm form, long maxBytes, Instant expiresAt) {}
}
