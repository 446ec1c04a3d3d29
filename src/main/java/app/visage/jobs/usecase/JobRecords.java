package app.visage.jobs.usecase;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.port.JobIndex;
import app.visage.jobs.port.JobStore;
import app.visage.jobs.port.Metrics;
import app.visage.logs.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Applies {@link JobLifecycle} transitions to job records by compare-and-swap. A transition is a function
 * of the current record: the next record, or declined when there is nothing to do (already terminal, already
 * moved on). On a lost race it is applied again to the fresh record, so a webhook's confirmation, a poll and a
 * deadline racing on one job end it exactly once.
 *
 * <p>Each record this process last read or wrote is remembered with its version, so a change right
 * after (submit's start, a provider's answer, the steps of finishing a job) is tried first as a
 * conditional write on that version, without reading the record again. Only a write that succeeds
 * counts: if the remembered version is stale the write is refused (If-Match), and a change that
 * declines or would be illegal on the remembered record is not trusted either; both fall back to
 * reading the record. So the outcome is always one the read-then-write loop could have had.
 *
 * <p>Every write that moves when the job next needs the worker (see {@link JobLifecycle#nextWake}) schedules
 * that wake-up here, in the one place every write passes, so no transition can leave a job asleep.
 */
@ApplicationScoped
public class JobRecords {
    private static final Logger LOG = Logger.getLogger(JobRecords.class);
    private static final int MAX_ATTEMPTS = 16;
    /** Records remembered; a local-mode burst of jobs fits, and a Lambda handles one at a time. */
    private static final int REMEMBERED = 1024;

    private final JobStore store;
    private final JobIndex index;
    private final WorkSchedule schedule;
    private final Metrics metrics;
    private final Map<JobId, JobStore.Versioned> lastKnown = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JobId, JobStore.Versioned> eldest) {
            return size() > REMEMBERED;
        }
    };

    public JobRecords(JobStore store, JobIndex index, WorkSchedule schedule, Metrics metrics) {
        this.store = store;
        this.index = index;
        this.schedule = schedule;
        this.metrics = metrics;
    }

    /**
     * Creates the record, its marker in the tenant's index first: a marker whose record never came is passed over
     * by the listing (as is one left by a retry that found the record made, its time not the record's), while a
     * record without its marker would never be listed.
     */
    public void create(Job job) {
        index.add(job);
        try {
            remember(job, store.create(job));
        } catch (JobStore.AlreadyExists e) {
            throw e; // the marker may be the existing record's own (same job, same instant): it stays
        } catch (RuntimeException e) {
            try {
                index.remove(job);
            } catch (RuntimeException lost) {
                e.addSuppressed(lost);
            }
            throw e;
        }
        try (LogContext.Scope ignored = LogContext.job(job.id())) {
            LOG.infof("job %s created: %s at %s", job.id(), job.operation().wire(), job.provider());
        }
        metrics.jobCreated(job);
        schedule.wake(job);
    }

    public Optional<Job> find(JobId id) {
        Optional<JobStore.Versioned> found = store.find(id);
        found.ifPresentOrElse(v -> remember(v.job(), v.version()), () -> forget(id));
        return found.map(JobStore.Versioned::job);
    }

    /**
     * The record as this process last read or wrote it, else as stored. It may be stale: only for decisions
     * that a later {@link #update} checks again (an update re-reads whenever its remembered version is stale).
     */
    public Optional<Job> latest(JobId id) {
        JobStore.Versioned known = remembered(id);
        return known != null ? Optional.of(known.job()) : find(id);
    }

    /**
     * Applies one {@link JobLifecycle} transition; answers the record it wrote, or empty if the transition
     * declined on the stored record.
     */
    public Optional<Job> apply(JobId id, Function<Job, JobLifecycle.Transition> transition) {
        JobStore.Versioned known = remembered(id);
        if (known != null) {
            Optional<Job> next = applyToRemembered(transition, known.job());
            if (next.isPresent() && legal(known.job(), next.get())) {
                Optional<String> written = store.replace(next.get(), known.version());
                if (written.isPresent()) {
                    remember(next.get(), written.get());
                    afterWrite(known.job(), next.get());
                    return next;
                }
            }
            forget(id);
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            JobStore.Versioned current = store.find(id).orElseThrow(() -> new MissingJob(id));
            Optional<Job> next = next(transition.apply(current.job()));
            if (next.isEmpty()) {
                remember(current.job(), current.version());
                return Optional.empty();
            }
            if (!legal(current.job(), next.get())) {
                throw new IllegalStateException("illegal transition "
                        + current.job().status() + " -> " + next.get().status() + " for " + id);
            }
            Optional<String> written = store.replace(next.get(), current.version());
            if (written.isPresent()) {
                remember(next.get(), written.get());
                afterWrite(current.job(), next.get());
                return next;
            }
            backOff(attempt);
        }
        throw new ContendedJob(id);
    }

    private static Optional<Job> next(JobLifecycle.Transition transition) {
        return transition instanceof JobLifecycle.Transition.To to ? Optional.of(to.next()) : Optional.empty();
    }

    /**
     * A remembered record may be stale (another thread of this process can remember an older read after a
     * newer write), and a change may rely on what the newer record holds. Failing on a stale record is no
     * failure of the change: the stored record is read and the change applied to that, where a failure is real.
     */
    private static Optional<Job> applyToRemembered(Function<Job, JobLifecycle.Transition> transition, Job remembered) {
        try {
            return next(transition.apply(remembered));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean legal(Job current, Job next) {
        return next.status().equals(current.status()) || current.status().canMoveTo(next.status());
    }

    private void remember(Job job, String version) {
        synchronized (lastKnown) {
            if (version == null || version.isEmpty()) {
                lastKnown.remove(job.id());
            } else {
                lastKnown.put(job.id(), new JobStore.Versioned(job, version));
            }
        }
    }

    private void forget(JobId id) {
        synchronized (lastKnown) {
            lastKnown.remove(id);
        }
    }

    private JobStore.Versioned remembered(JobId id) {
        synchronized (lastKnown) {
            return lastKnown.get(id);
        }
    }

    private void afterWrite(Job before, Job after) {
        announceEnd(before, after);
        if (before.startedAt() == null && after.startedAt() != null) {
            metrics.jobStarted(after, Duration.between(after.createdAt(), after.startedAt()));
        }
        schedule.afterWrite(before, after);
    }

    /** Logs and counts the write that ended the job: exactly one write does. What follows is its caller's to do. */
    private void announceEnd(Job before, Job after) {
        if (after.status().isTerminal() && !before.status().isTerminal()) {
            try (LogContext.Scope ignored = LogContext.job(after.id())) {
                // The code only: an error's message can quote what the provider said.
                LOG.infof(
                        "job %s %s%s",
                        after.id(),
                        after.status().wire(),
                        after.error() == null ? "" : " (" + after.error().code() + ")");
            }
            metrics.jobEnded(after);
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(Math.min(50, attempt * 2L) + (long) (Math.random() * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a job update", e);
        }
    }

    public static final class MissingJob extends RuntimeException {
        public MissingJob(JobId id) {
            super("no job record for " + id);
        }
    }

    public static final class ContendedJob extends RuntimeException {
        public ContendedJob(JobId id) {
            super("job record kept changing under us: " + id);
        }
    }
}
