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
        String inputKey = Keys.input(id, photo.extension());
        files.put(inputKey, photo.bytes(), photo.contentType());
        Job job = new Job(id, JobStatus.QUEUED, command.operation(), command.provider().id(),
                command.params().toStored(), command.metadata(),
                command.webhook() == null ? null : command.webhook().toString(), null,
                new StoredObject(inputKey, photo.contentType(), photo.bytes().length, photo.header().displayWidth(),
                        photo.header().displayHeight()),
                null, List.of(), null, null, now, now, now.plus(config.ttl()));
        try {
            records.create(job);
        } catch (RuntimeException e) {
            files.delete(List.of(inputKey));
            throw e;
        }
        return runner.run(id);
    }
}
