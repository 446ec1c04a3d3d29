package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.ImageInspector;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.WebhookToken;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.Metrics;
import app.visage.jobs.port.Provider;
import app.visage.logs.LogContext;
import app.visage.logs.LoggableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Starts a queued job at its provider. Starting is claimed with a compare-and-swap on the queued
 * record, so two triggers for one job (a duplicate S3 event or wake-up, a start of the next in line) call the
 * provider once; then a provider slot is taken (or the job waits), then the provider is called.
 */
@ApplicationScoped
public class RunJob {
    private static final Logger LOG = Logger.getLogger(RunJob.class);
    /** Longer than any start call may take: past it, the claimer is presumed dead (see {@link TendJob}). */
    static final Duration CLAIM_LEASE = Duration.ofMinutes(2);

    private final JobRecords records;
    private final FileStore files;
    private final Providers providers;
    private final ProviderSlots slots;
    private final ProviderOutcomes outcomes;
    private final ImageInspector inspector;
    private final ProviderWebhooks webhooks;
    private final VisageConfig config;
    private final Metrics metrics;
    private final Clock clock;

    public RunJob(
            JobRecords records,
            FileStore files,
            Providers providers,
            ProviderSlots slots,
            ProviderOutcomes outcomes,
            ImageInspector inspector,
            ProviderWebhooks webhooks,
            VisageConfig config,
            Metrics metrics,
            Clock clock) {
        this.records = records;
        this.files = files;
        this.providers = providers;
        this.slots = slots;
        this.outcomes = outcomes;
        this.inspector = inspector;
        this.webhooks = webhooks;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Runs the job if it is queued, due, unclaimed and has its photo, reading the photo from the bucket if needed. */
    public Job run(JobId id) {
        return run(id, null);
    }

    /**
     * Runs the job with the photo its caller already holds (just stored as its input), so the
     * photo is not read back from the bucket; {@code null} reads it, and only if the provider needs the bytes.
     */
    public Job run(JobId id, Photo inHand) {
        Instant now = clock.instant();
        String token = WebhookToken.generate();
        return run(id, inHand, token, job -> JobLifecycle.claimStart(job, WebhookToken.hash(token), now, CLAIM_LEASE));
    }

    /** Runs a job waiting in line for the slot that just freed, whatever wait it was given. */
    public Job runInFreedSlot(JobId id) {
        Instant now = clock.instant();
        String token = WebhookToken.generate();
        return run(
                id, null, token, job -> JobLifecycle.claimFreedSlot(job, WebhookToken.hash(token), now, CLAIM_LEASE));
    }

    private Job run(JobId id, Photo inHand, String token, Function<Job, JobLifecycle.Transition> claim) {
        Optional<Job> claimed = records.apply(id, claim);
        if (claimed.isEmpty()) {
            return records.find(id).orElseThrow(() -> new JobRecords.MissingJob(id));
        }
        return start(claimed.get(), token, inHand);
    }

    /**
     * A claimed job for its caller to create: queued with {@code token}'s hash and a start claim, so that
     * creating it (If-None-Match) is also the claim, and {@link #runCreated} needs no second write.
     */
    static Job claimedAtCreation(Job queued, String token, Instant now) {
        return queued.claimed(WebhookToken.hash(token), queued.dispatch().claim(now.plus(CLAIM_LEASE)), now);
    }

    /** Starts a job its caller has just created with {@link #claimedAtCreation} and holds the token of. */
    public Job runCreated(Job created, String token, Photo inHand) {
        return start(created, token, inHand);
    }

    private Job start(Job job, String token, Photo inHand) {
        try (LogContext.Scope ignored = LogContext.job(job.id())) {
            return startAtProvider(job, token, inHand);
        }
    }

    private Job startAtProvider(Job job, String token, Photo inHand) {
        JobId id = job.id();
        Provider provider = providers.get(job.provider());
        Integer slot = null;
        if (provider.maxInFlight() > 0) {
            Optional<Integer> acquired;
            try {
                acquired = slots.acquire(provider, id);
                if (acquired.isEmpty()) {
                    acquired = slots.acquireOrJoinLine(provider, job);
                }
            } catch (RuntimeException e) {
                // Nothing was sent yet: the job waits as if every slot were taken, and its back-stop wake-up
                // starts it; the claim goes with that write, so the start is not taken for an interrupted one.
                LOG.errorf(LoggableException.of(e), "job %s: no %s slot could be taken", id, job.provider());
                acquired = Optional.empty();
            }
            if (acquired.isEmpty()) {
                return outcomes.noSlot(job);
            }
            slot = acquired.get();
        }
        ProviderOutcome outcome;
        LOG.debugf("starting job %s at %s", id, provider.id());
        long started = System.nanoTime();
        try {
            outcome = provider.start(new Provider.ProviderCall(
                    id,
                    job.operation(),
                    Params.fromStored(job.params()),
                    photoSource(job, inHand),
                    files.presignGet(job.input().key(), config.processingDeadline()),
                    job.input().width() == null ? 0 : job.input().width(),
                    job.input().height() == null ? 0 : job.input().height(),
                    webhooks.url(job, provider, token).orElse(null)));
        } catch (VisageException e) {
            outcome = new ProviderOutcome.Failed(e.code(), e.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.errorf(LoggableException.of(e), "job %s: provider %s failed unexpectedly", id, job.provider());
            outcome = new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR, "the " + job.provider() + " provider failed", null);
        }
        metrics.providerCall(provider.id(), Duration.ofNanos(System.nanoTime() - started), outcome.providerFault());
        try {
            return outcomes.afterStart(job, provider, slot, outcome);
        } catch (RuntimeException e) {
            // The provider has (or may have) the job, so the caller still gets it: what could not be recorded
            // now, the provider's webhook or the wake-up at the claim's end records later (see TendJob).
            LOG.errorf(e, "job %s: the %s provider's answer could not be recorded", id, job.provider());
            return records.latest(id).orElse(job);
        }
    }

    private Supplier<Photo> photoSource(Job job, Photo inHand) {
        return new Supplier<>() {
            private Photo photo = inHand;

            @Override
            public Photo get() {
                if (photo == null) {
                    byte[] bytes = files.get(job.input().key())
                            .orElseThrow(() -> new IllegalStateException("input photo missing for " + job.id()));
                    photo = new Photo(bytes, inspector.inspect(bytes));
                }
                return photo;
            }
        };
    }
}
