package app.visage.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compare-and-swap transitions on job records. A change is a function of the current record: it
 * returns the next record, or empty when there is nothing to do (already terminal, already moved
 * on). On a lost race it is re-applied to the fresh record, so a webhook, a poll and the sweep
 * racing on one job finish it exactly once.
 */
@ApplicationScoped
public class JobRecords {
    private static final int MAX_ATTEMPTS = 16;

    private final JobStore store;
    private final Event<JobEnded> ended;

    public JobRecords(JobStore store, Event<JobEnded> ended) {
        this.store = store;
        this.ended = ended;
    }

    public void create(Job job) {
        store.create(job);
    }

    public Optional<Job> find(JobId id) {
        return store.find(id).map(JobStore.Versioned::job);
    }

    /** Applies {@code change}; returns the record it wrote, or empty if the change declined. */
    public Optional<Job> update(JobId id, Function<Job, Optional<Job>> change) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            JobStore.Versioned current = store.find(id).orElseThrow(() -> new MissingJob(id));
            Optional<Job> next = change.apply(current.job());
            if (next.isEmpty()) {
                return Optional.empty();
            }
            if (!next.get().status().equals(current.job().status())
                    && !current.job().status().canMoveTo(next.get().status())) {
                throw new IllegalStateException("illegal transition " + current.job().status() + " -> "
                        + next.get().status() + " for " + id);
            }
            if (store.replace(next.get(), current.version())) {
                if (next.get().status().isTerminal() && !current.job().status().isTerminal()) {
                    ended.fire(new JobEnded(next.get()));
                }
                return next;
            }
            backOff(attempt);
        }
        throw new ContendedJob(id);
    }

    /** Moves the job to {@code next} if its current state allows it. */
    public Optional<Job> transition(JobId id, JobStatus next, Function<Job, Job> apply) {
        return update(id, job -> job.status().canMoveTo(next) ? Optional.of(apply.apply(job)) : Optional.empty());
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
