package app.visage.jobs;

import app.visage.config.VisageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** POST /v1/uploads: a queued job waiting for its photo, and a presigned URL to PUT it to. */
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

    public Ticket create(UploadCommand command) {
        JobId id = JobId.random();
        Instant now = clock.instant();
        Instant uploadBy = now.plus(config.uploadUrlTtl());
        String contentType = command.format().mediaType();
        UploadSlot slot = new UploadSlot(Keys.upload(id, command.format().extension()), contentType, uploadBy);
        Job job = Job.queued(id, command.operation(), command.provider(), command.params(), command.metadata(),
                command.webhook(), null, slot, now, config.ttl());
        records.create(job);
        URI url = files.presignPut(slot.key(), contentType, config.uploadUrlTtl());
        return new Ticket(job, url, Map.of("Content-Type", contentType), uploadBy);
    }

    public record Ticket(Job job, URI uploadUrl, Map<String, String> uploadHeaders, Instant expiresAt) {
    }
}
