package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.model.UploadSlot;
import app.visage.jobs.model.WebhookToken;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * POST /v1/jobs: store the photo, create the job record, start the provider (or hand the job to one that can).
 * A command whose job already exists (a retry of the same idempotent request) answers that job, untouched.
 */
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
        JobId id = command.id();
        Instant now = clock.instant();
        Photo photo = command.photo();
        if (!command.provider().runsHere()) {
            return handOff(id, command, now);
        }
        StoredObject input = photo.asInputOf(id);
        files.put(input.key(), photo.bytes(), photo.contentType());
        // Created already claimed for its start: no one else can have seen it, so no second write to claim it.
        String token = WebhookToken.generate();
        Job job = RunJob.claimedAtCreation(
                Job.queued(
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
                        config.ttl()),
                token,
                now);
        try {
            records.create(job);
        } catch (JobStore.AlreadyExists e) {
            return existing(id); // the input just written is the same photo under the same key
        } catch (RuntimeException e) {
            files.delete(List.of(input.key()));
            throw e;
        }
        return runner.runCreated(job, token, photo);
    }

    /**
     * For a provider this process cannot run (the local engine, from a native executable): the job
     * waits for its photo under {@code uploads/} like a presigned upload, and putting the photo there
     * raises the object-created event that starts it in the {@code upload} function, on the JVM.
     */
    private Job handOff(JobId id, SubmitCommand command, Instant now) {
        Photo photo = command.photo();
        UploadSlot slot = new UploadSlot(
                Keys.upload(id, photo.extension()), photo.contentType(), now.plus(config.uploadUrlTtl()));
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
                config.ttl());
        try {
            records.create(job); // first: the event must find the job waiting
        } catch (JobStore.AlreadyExists e) {
            job = existing(id);
            if (job.status() != JobStatus.QUEUED || job.input() != null) {
                return job;
            }
            // Still waiting: the first attempt may have died before putting the photo; the same bytes again are
            // harmless.
        }
        files.put(slot.key(), photo.bytes(), photo.contentType());
        return job;
    }

    private Job existing(JobId id) {
        return records.find(id)
                .orElseThrow(() -> new IllegalStateException("job " + id + " exists but cannot be read"));
    }
}
