package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.ImageHeader;
import app.visage.images.ImageInspector;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobError;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.port.FileStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A photo landed under {@code uploads/}: check it like a submitted one, move it to {@code inputs/},
 * and have the job started. S3 delivers events at least once, so a repeat finds the job no longer waiting
 * and only deletes what is left under the key. Whatever is refused is deleted at once, not at the lifecycle's
 * expiry: S3 refuses a file over the form's size limit itself, this refuses what is no photo.
 */
@ApplicationScoped
public class StartUploadedJob {
    private static final Logger LOG = Logger.getLogger(StartUploadedJob.class);

    private final JobRecords records;
    private final FileStore files;
    private final RunJob runner;
    private final Providers providers;
    private final ImageInspector inspector;
    private final VisageConfig config;
    private final Clock clock;

    public StartUploadedJob(
            JobRecords records,
            FileStore files,
            RunJob runner,
            Providers providers,
            ImageInspector inspector,
            VisageConfig config,
            Clock clock) {
        this.records = records;
        this.files = files;
        this.runner = runner;
        this.providers = providers;
        this.inspector = inspector;
        this.config = config;
        this.clock = clock;
    }

    /** Returns the job as it stands afterwards, or empty when the key belongs to no waiting job. */
    public Optional<Job> photoArrived(String key) {
        Optional<JobId> id = Keys.uploadedJob(key);
        Optional<Job> job = id.flatMap(records::find);
        if (job.isEmpty()) {
            LOG.warnf("upload event for an object that belongs to no job; deleting it");
            files.delete(List.of(key));
            return Optional.empty();
        }
        Job waiting = job.get();
        if (!JobLifecycle.waitingForUpload(waiting, key)) {
            // A repeated event, or a second upload with a still valid form to a job already started, cancelled or
            // expired: the photo it needed (if any) is already in inputs/, so this copy is only a face to keep.
            files.delete(List.of(key));
            return Optional.of(waiting);
        }
        Photo photo;
        try {
            photo = readPhoto(key);
        } catch (VisageException rejected) {
            files.delete(List.of(key));
            Optional<Job> failed =
                    records.apply(waiting.id(), j -> JobLifecycle.fail(j, JobError.of(rejected), clock.instant()));
            return Optional.of(failed.orElseGet(() -> records.find(waiting.id()).orElseThrow()));
        }
        StoredObject input = photo.asInputOf(waiting.id());
        files.put(input.key(), photo.bytes(), photo.contentType());
        Optional<Job> attached = records.apply(waiting.id(), j -> JobLifecycle.attachUpload(j, key, input));
        files.delete(List.of(key));
        if (attached.isEmpty()) {
            return records.find(waiting.id());
        }
        // Attaching the photo woke the worker to start the job; only the built-in engine starts here instead.
        return Optional.of(
                providers.get(waiting.provider()).startsInline() ? runner.run(waiting.id(), photo) : attached.get());
    }

    private Photo readPhoto(String key) {
        long max = config.maxImageBytes();
        byte[] bytes = files.getAtMost(key, max)
                .orElseThrow(() -> new VisageException(ErrorCode.IMAGE_UNREADABLE, "the uploaded photo is gone"));
        if (bytes.length > max) {
            throw new VisageException(ErrorCode.IMAGE_TOO_LARGE, "the photo is larger than " + max + " bytes");
        }
        ImageHeader header = inspector.inspect(bytes);
        return Photo.received(bytes, header);
    }
}
