package app.visage.jobs;

import app.visage.config.VisageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** POST /v1/jobs: store the photo, create the job record, start the provider. */
@ApplicationScoped
public class SubmitJob {
    private final JobRecords records;
    private final FileStore files;
    private final RunJob runner;
    private final VisageConfig config;
    private final Clock clock;

    public SubmitJob(JobRecords records, FileStore files, RunJob runner, VisageConfig config, Clock clock) {
        this.records = records;
        this.files = files;
        this.runner = runner;
        this.config = config;
        this.clock = clock;
    }

    public Job submit(SubmitCommand command) {
        JobId id = JobId.random();
        Instant now = clock.instant();
        Photo photo = command.photo();
        StoredObject input = photo.asInputOf(id);
        files.put(input.key(), photo.bytes(), photo.contentType());
        Job job = Job.queued(id, command.operation(), command.provider(), command.params(), command.metadata(),
                command.webhook(), input, null, now, config.ttl());
        try {
            records.create(job);
        } catch (RuntimeException e) {
            files.delete(List.of(input.key()));
            throw e;
        }
        return runner.run(id, photo);
    }
}
