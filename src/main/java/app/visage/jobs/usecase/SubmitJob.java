package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.model.WebhookToken;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * POST /v1/jobs: store the photo and create the job record, which wakes the worker to start it at its provider;
 * only the built-in engine starts here and now (see {@link app.visage.jobs.port.Provider#startsInline}). A
 * command whose job already exists (a retry of the same idempotent request) answers that job.
 */
@ApplicationScoped
public class SubmitJob {
    private final JobRecords records;
    private final FileStore files;
    private final RunJob runner;
    private final WorkSchedule schedule;
    private final VisageConfig config;
    private final Clock clock;

    public SubmitJob(
            JobRecords records,
            FileStore files,
            RunJob runner,
            WorkSchedule schedule,
            VisageConfig config,
            Clock clock) {
        this.records = records;
        this.files = files;
        this.runner = runner;
        this.schedule = schedule;
        this.config = config;
        this.clock = clock;
    }

    public Job submit(SubmitCommand command) {
        JobId id = command.id();
        Instant now = clock.instant();
        Photo photo = command.photo();
        StoredObject input = photo.asInputOf(id);
        files.put(input.key(), photo.bytes(), photo.contentType());
        Job queued = Job.queued(
                        id,
                        command.tenant(),
                        command.operation(),
                        command.provider().id(),
                        command.params(),
                        command.metadata(),
                        command.webhook(),
                        input,
                        null,
                        now,
                        config.ttl())
                .toBuilder()
                .fallbacks(command.fallbacks())
                .attempts(command.passedOver())
                .webhookEvents(command.webhookEvents())
                .build();
        if (!command.provider().startsInline()) {
            // The worker starts it: creating the record wakes it (see JobRecords).
            return create(queued, input).orElseGet(() -> existing(id));
        }
        // Created already claimed for its start: no one else can have seen it, so no second write to claim it.
        String token = WebhookToken.generate();
        Job claimed = RunJob.claimedAtCreation(queued, token, now);
        return create(claimed, input)
                .map(job -> runner.runCreated(job, token, photo))
                .orElseGet(() -> existing(id));
    }

    /** Creates the record; empty if it exists already (a retry of the same idempotent request). */
    private Optional<Job> create(Job job, StoredObject input) {
        try {
            records.create(job);
            return Optional.of(job);
        } catch (JobStore.AlreadyExists e) {
            return Optional.empty(); // the input just written is the same photo under the same key
        } catch (RuntimeException e) {
            files.delete(List.of(input.key()));
            throw e;
        }
    }

    /**
     * The job a first attempt created. Still queued, it may have lost its wake-up with that attempt (the
     * attempt failed after writing the record), so it is woken again: a second wake-up changes nothing.
     */
    private Job existing(JobId id) {
        Job job = records.find(id)
                .orElseThrow(() -> new IllegalStateException("job " + id + " exists but cannot be read"));
        if (job.status() == JobStatus.QUEUED) {
            schedule.wake(job);
        }
        return job;
    }
}
