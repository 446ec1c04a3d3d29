package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.jobs.model.Attempt;
import app.visage.jobs.model.Dispatch;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobError;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.port.OutputDownloads;
import app.visage.jobs.port.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Records what a provider answered, whoever asked: the start call, a poll, or the fetch that
 * confirms a webhook. Every change is a compare-and-swap on the job record, so answers arriving
 * in any order and any number of times end the job once; a finished job releases its slot.
 */
@ApplicationScoped
public class ProviderOutcomes {
    private static final Logger LOG = Logger.getLogger(ProviderOutcomes.class);
    /** Start calls that took nothing (5xx, no connection) before the job fails with provider_error. */
    static final int MAX_START_FAILURES = 4;
    /** Consecutive failed polls or output downloads before the job fails with provider_error. */
    static final int MAX_FETCH_FAILURES = 6;
    /** Runs a provider may ask for again (FASHN's PipelineError, ThirdPartyError) after the first: three in all. */
    static final int MAX_RERUNS = 2;
    /**
     * How soon a job waiting in line for a slot tries again by itself: a back-stop only, as a freed slot wakes
     * the worker for the line at once.
     */
    static final Duration SLOT_WAIT = Duration.ofSeconds(30);

    private final JobRecords records;
    private final CopyOutputs copier;
    private final ProviderSlots slots;
    private final VisageConfig config;
    private final Clock clock;

    public ProviderOutcomes(
            JobRecords records, CopyOutputs copier, ProviderSlots slots, VisageConfig config, Clock clock) {
        this.records = records;
        this.copier = copier;
        this.slots = slots;
        this.config = config;
        this.clock = clock;
    }

    /** The answer to the start call of a job this process claimed, holding {@code slot} (null: none). */
    public Job afterStart(Job claimed, Provider provider, Integer slot, ProviderOutcome outcome) {
        JobId id = claimed.id();
        Job result = switch (outcome) {
            case ProviderOutcome.Finished finished -> finish(id, provider, finished.providerJobId(), slot, finished);
            case ProviderOutcome.Pending pending ->
                accept(id, pending.providerJobId(), pending.eta(), slot, pending.seed());
            case ProviderOutcome.Failed failed ->
                fail(id, new JobError(failed.code().wire(), failed.message(), failed.providerCode()));
            case ProviderOutcome.Refused refused ->
                fallBackOrFail(
                        claimed,
                        provider,
                        new JobError(refused.code().wire(), refused.message(), refused.providerCode()));
            case ProviderOutcome.Busy busy -> waitFor(id, busy.retryAfter(), false);
            // A start answered with a failure to run again took nothing at the provider: it is one more start failure.
            case ProviderOutcome.Transient fault ->
                startFailed(claimed, provider, fault.message(), fault.providerCode());
            case ProviderOutcome.Rerun rerun -> startFailed(claimed, provider, rerun.message(), rerun.providerCode());
            case ProviderOutcome.Unconfirmed unconfirmed -> accept(id, null, null, slot, null);
        };
        if (result.status() != JobStatus.PROCESSING) {
            slots.release(provider, id, slot);
        }
        return result;
    }

    /** A start that took nothing: tried again with back-off, and after too many, passed on or failed. */
    private Job startFailed(Job claimed, Provider provider, String message, String providerCode) {
        int failures = claimed.dispatch().startFailures();
        if (failures + 1 >= MAX_START_FAILURES) {
            return fallBackOrFail(
                    claimed,
                    provider,
                    new JobError(
                            ErrorCode.PROVIDER_ERROR.wire(),
                            "the " + provider.id() + " provider kept failing: " + message,
                            providerCode));
        }
        return waitFor(claimed.id(), Dispatch.backOff(config.providerRetryDelay(), failures), true);
    }

    /**
     * The provider took nothing and won't: the job goes to the next provider its request listed, or fails with
     * {@code error} when none is left.
     */
    private Job fallBackOrFail(Job claimed, Provider provider, JobError error) {
        if (claimed.fallbacks().isEmpty()) {
            return fail(claimed.id(), error);
        }
        Instant now = clock.instant();
        Attempt refused = new Attempt(provider.id(), null, Attempt.REFUSED, error.providerCode(), error.message(), now);
        LOG.infof(
                "job %s: %s refused it; trying %s",
                claimed.id(), provider.id(), claimed.fallbacks().getFirst());
        return records.apply(claimed.id(), job -> JobLifecycle.fallBack(job, refused, now))
                .orElseGet(() -> records.find(claimed.id()).orElseThrow());
    }

    /** The job found no free slot: it waits in line, queued. */
    public Job noSlot(Job claimed) {
        return waitFor(claimed.id(), SLOT_WAIT, false);
    }

    /**
     * What the provider says of a job it has (or, for a webhook that beat the start call's answer,
     * of {@code providerJobId} as the webhook named it).
     */
    public Job afterFetch(Job known, Provider provider, String providerJobId, ProviderOutcome outcome) {
        Job job = keepWebhookJobId(known, providerJobId, outcome);
        Instant now = clock.instant();
        return switch (outcome) {
            case ProviderOutcome.Finished finished ->
                finish(
                        job.id(),
                        provider,
                        providerJobId != null ? providerJobId : finished.providerJobId(),
                        job.dispatch().slot(),
                        finished);
            case ProviderOutcome.Failed failed ->
                fail(job.id(), new JobError(failed.code().wire(), failed.message(), failed.providerCode()), provider);
            case ProviderOutcome.Refused refused ->
                fail(
                        job.id(),
                        new JobError(refused.code().wire(), refused.message(), refused.providerCode()),
                        provider);
            case ProviderOutcome.Rerun rerun -> runAgainOrFail(job, provider, providerJobId, rerun);
            // The claimed poll already set the next one; write only what the answer changes.
            case ProviderOutcome.Pending pending
            when pending.eta() == null && job.dispatch().fetchFailures() == 0 -> job;
            case ProviderOutcome.Pending pending ->
                afterPoll(job.id(), j -> JobLifecycle.stillRunning(j, pending.eta(), config.pollInterval(), now));
            case ProviderOutcome.Busy busy ->
                afterPoll(job.id(), j -> JobLifecycle.providerBusy(j, now.plus(busy.retryAfter()), now));
            case ProviderOutcome.Transient fault -> fetchFailed(job, provider, fault.message(), fault.providerCode());
            case ProviderOutcome.Unconfirmed unconfirmed -> fetchFailed(job, provider, unconfirmed.message(), null);
        };
    }

    /**
     * The provider ended this run with a failure its documents say to run again: the job is queued anew (its
     * slot freed) after a back-off, at most {@link #MAX_RERUNS} times; then it fails with what the last run said.
     */
    private Job runAgainOrFail(Job job, Provider provider, String providerJobId, ProviderOutcome.Rerun rerun) {
        String runId = providerJobId != null ? providerJobId : job.dispatch().providerJobId();
        if (job.reruns() >= MAX_RERUNS) {
            return fail(
                    job.id(),
                    new JobError(
                            ErrorCode.PROVIDER_ERROR.wire(),
                            rerun.message() + " (" + (MAX_RERUNS + 1) + " runs failed)",
                            rerun.providerCode()),
                    provider);
        }
        Instant now = clock.instant();
        Attempt ended =
                new Attempt(provider.id(), runId, Attempt.RUN_AGAIN, rerun.providerCode(), rerun.message(), now);
        Instant startAt = now.plus(Dispatch.backOff(config.providerRetryDelay(), job.reruns()));
        Optional<Job> requeued = records.apply(job.id(), j -> JobLifecycle.runAgain(j, ended, startAt, now));
        if (requeued.isPresent()) {
            LOG.infof("job %s: %s said to run it again (%s)", job.id(), provider.id(), rerun.providerCode());
            slots.release(provider, job.id(), job.dispatch().slot());
            return requeued.get();
        }
        return records.find(job.id()).orElseThrow();
    }

    /**
     * Only a webhook named the provider's job (the start call's answer was lost, or is still on its way): the
     * name is kept before an answer that says nothing yet, or nobody could ask about the job again.
     */
    private Job keepWebhookJobId(Job job, String providerJobId, ProviderOutcome outcome) {
        boolean ended = outcome instanceof ProviderOutcome.Finished || outcome instanceof ProviderOutcome.Failed;
        return ended || providerJobId == null || job.dispatch().providerJobId() != null
                ? job
                : accept(job.id(), providerJobId, null, job.dispatch().slot(), null);
    }

    /** Copies the outputs, then moves the job to succeeded (through processing if the webhook came first). */
    private Job finish(
            JobId id, Provider provider, String providerJobId, Integer slot, ProviderOutcome.Finished finished) {
        // Possibly stale (as this process last saw it): a job that ended meanwhile is caught by the updates below.
        Job current = records.latest(id).orElseThrow(() -> new JobRecords.MissingJob(id));
        if (current.status().isFinal()) {
            return current;
        }
        Dispatch had = current.dispatch();
        boolean keepFirst = providerJobId != null
                ? current.status() == JobStatus.QUEUED || had.providerJobId() == null
                : had.providerJobId() == null
                        && had.answer() == null
                        && Dispatch.Answer.of(finished).isPresent();
        if (keepFirst) {
            // The answer (and the id it can be asked again by, if any) is recorded before the copy: a crash mid-copy
            // loses no output (the worker's next wake-up finishes the job from the record; see PollJob), and a
            // webhook's confirmation meanwhile copies this answer, not a fetch's (which may say less: ModelsLab's
            // carries no safety checker report).
            current = acceptWhileCopying(id, providerJobId, slot, finished);
            if (current.status() != JobStatus.PROCESSING) {
                return current;
            }
        }
        List<StoredObject> outputs;
        try {
            outputs = copier.copy(id, provider, finished);
        } catch (OutputDownloads.Rejected e) {
            return fail(
                    id,
                    new JobError(
                            ErrorCode.PROVIDER_ERROR.wire(),
                            "the " + provider.id() + " provider's output was refused: " + e.getMessage(),
                            null),
                    provider);
        } catch (OutputDownloads.Unavailable e) {
            if (providerJobId == null
                    && records.find(id).map(j -> j.dispatch().providerJobId()).orElse(null) == null) {
                return fail(
                        id,
                        new JobError(
                                ErrorCode.PROVIDER_ERROR.wire(),
                                "the " + provider.id() + " provider's output could not be downloaded",
                                null),
                        provider);
            }
            accept(id, providerJobId, null, slot, null);
            return fetchFailed(records.find(id).orElseThrow(), provider, e.getMessage(), null);
        }
        // Possibly stale, as above: a job that moved on meanwhile only makes this write decline.
        if (current.status() == JobStatus.QUEUED
                || providerJobId != null && current.dispatch().providerJobId() == null) {
            accept(id, providerJobId, null, slot, null);
        }
        Instant now = clock.instant();
        Optional<Job> succeeded =
                records.apply(id, job -> JobLifecycle.succeed(job, outputs, finished.result(), finished.seed(), now));
        Job result = succeeded.orElseGet(() -> records.find(id).orElseThrow());
        if (succeeded.isEmpty() && result.status() != JobStatus.SUCCEEDED) {
            // Canceled while we copied: the outputs belong to nobody. (Already succeeded means a
            // racing copy of the same outputs won: those keys are its own, and stay.)
            copier.remove(id, outputs);
        }
        slots.release(
                provider,
                id,
                result.dispatch().slot() != null ? result.dispatch().slot() : slot);
        return result;
    }

    /**
     * Queued → processing with what the provider said (its id, its estimate, the seed it was sent); fills in the
     * provider's id if a webhook came first.
     */
    private Job accept(JobId id, String providerJobId, Duration eta, Integer slot, Long seed) {
        Instant now = clock.instant();
        Instant expected = eta == null ? null : now.plus(eta);
        // No later than halfway to the processing deadline: a job whose webhook is lost must be asked
        // about (and the asking retried) before it times out, however long the provider expects to take.
        Instant latest = now.plus(config.processingDeadline().dividedBy(2));
        Instant wanted = expected != null ? expected : now.plus(config.pollInterval());
        Instant firstPoll = providerJobId == null ? null : wanted.isAfter(latest) ? latest : wanted;
        JobLifecycle.Acceptance acceptance =
                new JobLifecycle.Acceptance(providerJobId, slot, expected, firstPoll, null, seed);
        return records.apply(id, job -> JobLifecycle.accept(job, acceptance, now))
                .orElseGet(() -> records.find(id).orElseThrow());
    }

    /**
     * Processing with its {@code finished} answer recorded (and under {@code providerJobId}, when the provider gave
     * one), whose outputs this process is copying now: its first poll, which takes up the recorded answer, comes
     * only once the copier had ample time to finish.
     */
    private Job acceptWhileCopying(JobId id, String providerJobId, Integer slot, ProviderOutcome.Finished finished) {
        Instant now = clock.instant();
        JobLifecycle.Acceptance acceptance = new JobLifecycle.Acceptance(
                providerJobId,
                slot,
                null,
                now.plus(RunJob.CLAIM_LEASE),
                Dispatch.Answer.of(finished).orElse(null),
                finished.seed());
        return records.apply(id, job -> JobLifecycle.accept(job, acceptance, now))
                .orElseGet(() -> records.find(id).orElseThrow());
    }

    private Job fail(JobId id, JobError error) {
        Instant now = clock.instant();
        return records.apply(id, job -> JobLifecycle.fail(job, error, now))
                .orElseGet(() -> records.find(id).orElseThrow());
    }

    private Job fail(JobId id, JobError error, Provider provider) {
        Job failed = fail(id, error);
        slots.release(provider, id, failed.dispatch().slot());
        return failed;
    }

    /** Back to queued, unclaimed, until {@code delay} has passed; nothing is at the provider. */
    private Job waitFor(JobId id, Duration delay, boolean countFailure) {
        Instant now = clock.instant();
        return records.apply(id, job -> JobLifecycle.waitToStart(job, now.plus(delay), countFailure, now))
                .orElseGet(() -> records.find(id).orElseThrow());
    }

    /** Applies what a poll learned, or answers the job as stored if it has moved on. */
    private Job afterPoll(JobId id, Function<Job, JobLifecycle.Transition> transition) {
        return records.apply(id, transition).orElseGet(() -> records.find(id).orElseThrow());
    }

    private Job fetchFailed(Job job, Provider provider, String message, String providerCode) {
        if (job.dispatch().fetchFailures() + 1 >= MAX_FETCH_FAILURES) {
            LOG.warnf("job %s: giving up on %s after %d failed attempts", job.id(), provider.id(), MAX_FETCH_FAILURES);
            return fail(
                    job.id(),
                    new JobError(
                            ErrorCode.PROVIDER_ERROR.wire(),
                            "the " + provider.id() + " provider kept failing: " + message,
                            providerCode),
                    provider);
        }
        Instant now = clock.instant();
        return afterPoll(job.id(), j -> JobLifecycle.fetchFailed(j, config.pollInterval(), now));
    }
}
