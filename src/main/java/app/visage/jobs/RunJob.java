package app.visage.jobs;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.ImageInspector;
import app.visage.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts a queued job at its provider and records what came back. Starting is a compare-and-swap
 * from queued to processing, so two triggers for one job (a duplicate S3 event, the sweep) start
 * the provider once.
 */
@ApplicationScoped
public class RunJob {
    private static final Logger LOG = Logger.getLogger(RunJob.class);

    private final JobRecords records;
    private final FileStore files;
    private final Providers providers;
    private final ImageInspector inspector;
    private final VisageConfig config;
    private final Clock clock;

    public RunJob(JobRecords records, FileStore files, Providers providers, ImageInspector inspector,
            VisageConfig config, Clock clock) {
        this.records = records;
        this.files = files;
        this.providers = providers;
        this.inspector = inspector;
        this.config = config;
        this.clock = clock;
    }

    /** Runs the job if it is still queued with its photo in place, reading the photo from the bucket. */
    public Job run(JobId id) {
        return run(id, null);
    }

    /**
     * Runs the job with the photo its caller already holds (just stored as its input), so the
     * photo is not read back from the bucket; {@code null} reads it.
     */
    public Job run(JobId id, Photo inHand) {
        String token = WebhookToken.generate();
        Optional<Job> started = records.update(id, job -> job.status() == JobStatus.QUEUED && job.input() != null
                ? Optional.of(job.started(WebhookToken.hash(token), clock.instant()))
                : Optional.empty());
        if (started.isEmpty()) {
            return records.find(id).orElseThrow(() -> new JobRecords.MissingJob(id));
        }
        Job job = started.get();
        try {
            ProviderOutcome outcome = providers.get(job.provider()).start(new Provider.ProviderCall(id,
                    job.operation(), Params.fromStored(job.params()), inHand != null ? inHand : loadPhoto(job),
                    webhookUrl(job, token)));
            return switch (outcome) {
                case ProviderOutcome.Finished finished -> finish(job, finished);
            };
        } catch (VisageException e) {
            return fail(id, JobError.of(e));
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: provider %s failed unexpectedly", id, job.provider());
            return fail(id, JobError.of(ErrorCode.PROVIDER_ERROR, "the " + job.provider() + " provider failed"));
        }
    }

    private Photo loadPhoto(Job job) {
        byte[] bytes = files.get(job.input().key())
                .orElseThrow(() -> new IllegalStateException("input photo missing for " + job.id()));
        return new Photo(bytes, inspector.inspect(bytes));
    }

    /** Outputs go to the bucket first, then the record points at them: a crash in between leaves only objects the sweep removes. */
    private Job finish(Job job, ProviderOutcome.Finished finished) {
        List<StoredObject> outputs = new ArrayList<>();
        int n = 1;
        for (ProviderOutcome.OutputImage image : finished.images()) {
            String key = Keys.output(job.id(), n++, image.extension());
            files.put(key, image.bytes(), image.contentType());
            outputs.add(new StoredObject(key, image.contentType(), image.bytes().length, image.width(), image.height()));
        }
        if (finished.result() != null) {
            files.put(Keys.result(job.id()), Json.write(finished.result()), "application/json");
        }
        return records.transition(job.id(), JobStatus.SUCCEEDED,
                        current -> current.succeeded(outputs, finished.result(), clock.instant()))
                .orElseGet(() -> {
                    // Canceled (or already finished) while we worked: the outputs belong to nobody.
                    List<String> keys = new ArrayList<>(outputs.stream().map(StoredObject::key).toList());
                    keys.add(Keys.result(job.id()));
                    files.delete(keys);
                    return records.find(job.id()).orElseThrow();
                });
    }

    private Job fail(JobId id, JobError error) {
        return records.transition(id, JobStatus.FAILED, current -> current.failed(error, clock.instant()))
                .orElseGet(() -> records.find(id).orElseThrow());
    }

    private URI webhookUrl(Job job, String token) {
        String base = config.publicBaseUrl().replaceAll("/+$", "");
        return URI.create(base + "/v1/provider-webhooks/" + job.provider() + "/" + job.id() + "?token=" + token);
    }
}
