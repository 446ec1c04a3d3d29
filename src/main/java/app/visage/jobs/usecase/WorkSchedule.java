package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.Work;
import app.visage.jobs.port.DueIndex;
import app.visage.jobs.port.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Hands work to the worker at its time: on the queue with a delay when that is within the queue's reach, in the
 * due-work index when it is further off (the cleanup moves it to the queue when its time nears). A queue that
 * refuses a message does not lose it: it goes to the index, which the next cleanup reads.
 */
@ApplicationScoped
public class WorkSchedule {
    private static final Logger LOG = Logger.getLogger(WorkSchedule.class);

    private final WorkQueue queue;
    private final DueIndex index;
    private final VisageConfig config;
    private final Clock clock;

    public WorkSchedule(WorkQueue queue, DueIndex index, VisageConfig config, Clock clock) {
        this.queue = queue;
        this.index = index;
        this.config = config;
        this.clock = clock;
    }

    /** Wakes the worker when {@code job} next needs it, if it ever does. */
    public void wake(Job job) {
        JobLifecycle.nextWake(job, config.processingDeadline()).ifPresent(at -> send(Work.wake(job.id(), at)));
    }

    /** After a write of {@code after} over {@code before}: wakes the worker if the write moved when it is next needed. */
    public void afterWrite(Job before, Job after) {
        Optional<Instant> next = JobLifecycle.nextWake(after, config.processingDeadline());
        if (next.isPresent() && !next.equals(JobLifecycle.nextWake(before, config.processingDeadline()))) {
            send(Work.wake(after.id(), next.get()));
        }
    }

    /** Sends {@code work} to arrive at its time; throws only if neither the queue nor the index took it. */
    public void send(Work work) {
        Duration delay = Duration.between(clock.instant(), work.at());
        if (delay.compareTo(WorkQueue.MAX_DELAY) > 0) {
            index.add(work);
            return;
        }
        try {
            queue.send(work, delay.isNegative() ? Duration.ZERO : delay);
        } catch (RuntimeException e) {
            LOG.errorf(
                    "%s of %s could not be queued (%s): kept in the due-work index for the next cleanup",
                    work.kind().wire(), work.subject(), e.getClass().getName());
            index.add(work);
        }
    }
}
