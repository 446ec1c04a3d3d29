package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.jobs.model.Dispatch;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobError;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Keys;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.Provider;
import app.visage.logs.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The worker woken for a job: does what its record says is due now. Deletes what is past its TTL and marks
 * the job expired, fails an upload that never came and a job past its processing deadline, restarts a start a
 * crash interrupted or a busy provider deferred, polls the provider, delivers the client webhook. A wake-up with
 * nothing due (a duplicate, or one a later write superseded) does nothing.
 */
@ApplicationScoped
public class TendJob {
    private static final Logger LOG = Logger.getLogger(TendJob.class);

    private final JobRecords records;
    private final FileStore files;
    private final RunJob runner;
    private final PollJob poller;
    private final Providers providers;
    private final ProviderSlots slots;
    private final NotifyClient notifyClient;
    private final WorkSchedule schedule;
    private final VisageConfig config;
    private final Clock clock;

    public TendJob(
            JobRecords records,
            FileStore files,
            RunJob runner,
            PollJob poller,
            Providers providers,
            ProviderSlots slots,
            NotifyClient notifyClient,
            WorkSchedule schedule,
            VisageConfig config,
            Clock clock) {
        this.records = records;
        this.files = files;
        this.runner = runner;
        this.poller = poller;
        this.providers = providers;
        this.slots = slots;
        this.notifyClient = notifyClient;
        this.schedule = schedule;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param woken when the wake-up was meant for
     * @param redelivered whether the queue delivered this wake-up before (its first handling failed, maybe after
     *     a write whose own wake-up was lost with it)
     */
    public void tend(JobId id, Instant woken, boolean redelivered) {
        Optional<Job> found = records.find(id);
        if (found.isEmpty()) {
            return; // past its record's retention
        }
        Job job = found.get();
        Instant now = clock.instant();
        Optional<Instant> next = JobLifecycle.nextWake(job, config.processingDeadline());
        if (next.isEmpty()) {
            return;
        }
        if (next.get().isAfter(now)) {
            // Too early (the queue's clock runs ahead of ours), or again after a failure: make sure a wake-up is
            // on its way. A wake-up that is merely superseded needs none: the write that moved it sent one.
            if (woken.isAfter(now) || redelivered) {
                schedule.wake(job);
            }
            return;
        }
        try (LogContext.Scope ignored = LogContext.job(id)) {
            tendDue(job, now);
        }
    }

    private void tendDue(Job job, Instant now) {
        notifyClient.deliverIfDue(job);
        Dispatch d = job.dispatch();
        if (job.status().isTerminal() && !now.isBefore(job.expiresAt())) {
            deleteObjectsOf(job.id());
            records.apply(job.id(), j -> JobLifecycle.expire(j, now))
                    .ifPresent(j -> LOG.infof("job %s expired: its objects are deleted", j.id()));
        } else if (job.status() == JobStatus.QUEUED
                && job.input() == null
                && job.upload() != null
                && !now.isBefore(job.upload().expiresAt())) {
            failIfStill(
                    job, JobStatus.QUEUED, ErrorCode.EXPIRED, "no photo was uploaded before the upload URL expired");
        } else if (job.status() == JobStatus.QUEUED && job.input() != null && !now.isBefore(job.expiresAt())) {
            failIfStill(
                    job,
                    JobStatus.QUEUED,
                    ErrorCode.RATE_LIMITED,
                    "the " + job.provider() + " provider stayed busy until the job expired");
        } else if (job.status() == JobStatus.QUEUED && d.claimed() && !now.isBefore(d.claimedUntil())) {
            recoverInterruptedStart(job, now);
        } else if (JobLifecycle.startable(job, now)) {
            runner.run(job.id());
        } else if (job.status() == JobStatus.PROCESSING) {
            Job polled = job;
            RuntimeException pollFailure = null;
            try {
                polled = poller.pollIfDue(job);
            } catch (RuntimeException e) {
                // What the provider answered could not be kept (S3 failing under its outputs, say): the
                // deadline below must still hold, or such a job would be polled forever.
                pollFailure = e;
            }
            Instant since =
                    polled.dispatch().acceptedAt() != null ? polled.dispatch().acceptedAt() : polled.updatedAt();
            if (polled.status() == JobStatus.PROCESSING && !now.isBefore(since.plus(config.processingDeadline()))) {
                failIfStill(
                        polled,
                        JobStatus.PROCESSING,
                        ErrorCode.PROVIDER_TIMEOUT,
                        "the " + polled.provider() + " provider did not finish in time");
            } else if (pollFailure != null) {
                throw pollFailure; // nothing was written, so no other wake-up comes: the queue delivers this again
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
            LOG.warnf(
                    "job %s: its start at %s was interrupted; waiting for the provider's word",
                    job.id(), job.provider());
            records.apply(job.id(), j -> JobLifecycle.presumeStarted(j, now));
        }
    }

    private void failIfStill(Job job, JobStatus status, ErrorCode code, String message) {
        records.apply(job.id(), j -> JobLifecycle.failIfStill(j, status, JobError.of(code, message), clock.instant()))
                .ifPresent(j -> slots.release(
                        providers.get(j.provider()), j.id(), j.dispatch().slot()));
    }

    private void deleteObjectsOf(JobId id) {
        List<String> keys = new ArrayList<>();
        for (String prefix : Keys.prefixes(id)) {
            files.list(prefix).forEach(o -> keys.add(o.key()));
        }
        files.delete(keys);
    }
}
