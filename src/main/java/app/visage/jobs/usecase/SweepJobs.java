package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.model.Dispatch;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobError;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Keys;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.JobStore;
import app.visage.jobs.port.Provider;
import app.visage.logs.LogContext;
import app.visage.logs.LoggableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The scheduled sweep: deletes what is past its TTL and marks those jobs expired, fails uploads
 * that never came and jobs stuck in processing, restarts jobs a crash left queued or a busy
 * provider kept waiting, polls providers, retries client webhooks, and removes objects that
 * belong to no live job.
 */
@ApplicationScoped
public class SweepJobs {
    private static final Logger LOG = Logger.getLogger(SweepJobs.class);
    private static final int PAGE = 500;
    /** A queued job with its photo in place is normally started within a second; this one was not (a crash). */
    private static final Duration STALLED_START = Duration.ofMinutes(2);

    private final JobRecords records;
    private final JobStore store;
    private final FileStore files;
    private final RunJob runner;
    private final PollJob poller;
    private final Providers providers;
    private final ProviderSlots slots;
    private final NotifyClient notifyClient;
    private final VisageConfig config;
    private final Clock clock;

    public SweepJobs(
            JobRecords records,
            JobStore store,
            FileStore files,
            RunJob runner,
            PollJob poller,
            Providers providers,
            ProviderSlots slots,
            NotifyClient notifyClient,
            VisageConfig config,
            Clock clock) {
        this.records = records;
        this.store = store;
        this.files = files;
        this.runner = runner;
        this.poller = poller;
        this.providers = providers;
        this.slots = slots;
        this.notifyClient = notifyClient;
        this.config = config;
        this.clock = clock;
    }

    public Summary sweep() {
        Instant now = clock.instant();
        Summary summary = new Summary();
        String after = null;
        do {
            JobStore.Page page = store.list(after, PAGE);
            for (JobId id : page.ids()) {
                try (LogContext.Scope ignored = LogContext.job(id)) {
                    records.find(id).ifPresent(job -> sweepJob(job, now, summary));
                } catch (RuntimeException e) {
                    // One bad record must not stop the sweep of the others; the next run retries it.
                    LOG.errorf(LoggableException.of(e), "sweep of job %s failed", id);
                    summary.errors++;
                }
            }
            after = page.next();
        } while (after != null);
        summary.orphansDeleted = deleteOldObjects(now);
        // Quiet sweeps (most of them: local mode sweeps every few seconds) only at DEBUG.
        LOG.logf(
                summary.quiet() ? Logger.Level.DEBUG : Logger.Level.INFO,
                "sweep: %d expired, %d failed, %d restarted, %d polled, %d old objects deleted, %d errors",
                summary.expired,
                summary.failed,
                summary.restarted,
                summary.polled,
                summary.orphansDeleted,
                summary.errors);
        return summary;
    }

    private void sweepJob(Job job, Instant now, Summary summary) {
        notifyClient.deliverIfDue(job);
        Dispatch d = job.dispatch();
        if (job.status().isTerminal() && !now.isBefore(job.expiresAt())) {
            deleteObjectsOf(job.id());
            records.apply(job.id(), j -> JobLifecycle.expire(j, now)).ifPresent(j -> summary.expired++);
        } else if (job.status() == JobStatus.QUEUED
                && job.input() == null
                && job.upload() != null
                && now.isAfter(job.upload().expiresAt())) {
            failIfStill(
                    job,
                    JobStatus.QUEUED,
                    ErrorCode.EXPIRED,
                    "no photo was uploaded before the upload URL expired",
                    now,
                    summary);
        } else if (job.status() == JobStatus.QUEUED && job.input() != null && !now.isBefore(job.expiresAt())) {
            failIfStill(
                    job,
                    JobStatus.QUEUED,
                    ErrorCode.RATE_LIMITED,
                    "the " + job.provider() + " provider stayed busy until the job expired",
                    now,
                    summary);
        } else if (job.status() == JobStatus.QUEUED && d.claimed() && now.isAfter(d.claimedUntil())) {
            recoverInterruptedStart(job, now);
            summary.restarted++;
        } else if (job.status() == JobStatus.QUEUED
                && job.input() != null
                && !d.claimed()
                && (d.retryAt() != null
                        ? d.due(now)
                        : now.isAfter(job.updatedAt().plus(STALLED_START)))) {
            runner.run(job.id());
            summary.restarted++;
        } else if (job.status() == JobStatus.PROCESSING) {
            Job polled = job;
            try {
                polled = poller.pollIfDue(job);
            } catch (RuntimeException e) {
                // What the provider answered could not be kept (S3 failing under its outputs, say): the
                // deadline below must still hold, or such a job would be polled forever.
                LOG.errorf(e, "polling job %s failed", job.id());
                summary.errors++;
            }
            if (polled != job) {
                summary.polled++;
            }
            Instant since =
                    polled.dispatch().acceptedAt() != null ? polled.dispatch().acceptedAt() : polled.updatedAt();
            if (polled.status() == JobStatus.PROCESSING && now.isAfter(since.plus(config.processingDeadline()))) {
                failIfStill(
                        polled,
                        JobStatus.PROCESSING,
                        ErrorCode.PROVIDER_TIMEOUT,
                        "the " + polled.provider() + " provider did not finish in time",
                        now,
                        summary);
            }
        }
    }

    /**
     * A start call whose process died before recording the answer. If running it again is free, it
     * runs again; otherwise the provider may have the job (and have charged for it), so it is never
     * sent twice: it waits for the provider's webhook until the processing deadline.
     */
    private void recoverInterruptedStart(Job job, Instant now) {
        Provider provider = providers.get(job.provider());
        if (provider.restartable()) {
            records.apply(job.id(), j -> JobLifecycle.releaseInterruptedStart(j, now));
            runner.run(job.id());
        } else {
            records.apply(job.id(), j -> JobLifecycle.presumeStarted(j, now));
        }
    }

    private void failIfStill(Job job, JobStatus status, ErrorCode code, String message, Instant now, Summary summary) {
        records.apply(job.id(), j -> JobLifecycle.failIfStill(j, status, JobError.of(code, message), now))
                .ifPresent(j -> {
                    summary.failed++;
                    notifyClient.afterLastWrite(j);
                    slots.release(
                            providers.get(j.provider()), j.id(), j.dispatch().slot());
                });
    }

    private void deleteObjectsOf(JobId id) {
        List<String> keys = new ArrayList<>();
        for (String prefix : Keys.prefixes(id)) {
            files.list(prefix).forEach(o -> keys.add(o.key()));
        }
        files.delete(keys);
    }

    /**
     * Objects older than the TTL are past any job's life, whether or not a record points at them. So are
     * idempotency records (they hold a job's first answer, metadata included): a TTL under 24 h shortens keys' lives.
     */
    private int deleteOldObjects(Instant now) {
        Instant cutoff = now.minus(config.ttl());
        List<String> keys = new ArrayList<>();
        for (String prefix : BucketLayout.TRANSIENT) {
            files.list(prefix).stream()
                    .filter(o -> o.lastModified().isBefore(cutoff))
                    .forEach(o -> keys.add(o.key()));
        }
        files.delete(keys);
        return keys.size();
    }

    /** What one sweep did: the cleanup function's answer, in the API's snake_case like every other answer. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    @com.fasterxml.jackson.databind.annotation.JsonNaming(
            com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public static final class Summary {
        public int expired;
        public int failed;
        public int restarted;
        public int polled;
        public int orphansDeleted;
        public int errors;

        boolean quiet() {
            return expired + failed + restarted + orphansDeleted + errors == 0;
        }
    }
}
