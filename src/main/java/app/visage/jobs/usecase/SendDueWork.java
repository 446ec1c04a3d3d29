package app.visage.jobs.usecase;

import app.visage.jobs.model.Work;
import app.visage.jobs.port.DueIndex;
import app.visage.jobs.port.WorkQueue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The scheduled cleanup: moves the due-work index's markers to the queue once their time is within the queue's
 * delay, each with the delay left, and removes them. It reads only the minutes up to then (the index lists in
 * key order), so its requests grow with the work that is due, never with the jobs stored; with nothing due it is
 * one list request.
 */
@ApplicationScoped
public class SendDueWork {
    private static final Logger LOG = Logger.getLogger(SendDueWork.class);
    private static final int PAGE = 100;
    /**
     * Markers due this far ahead are sent now, with their delay: a schedule more often than this (every
     * 5 minutes in the deployment) sends every marker before its time.
     */
    static final Duration REACH = WorkQueue.MAX_DELAY.minus(Duration.ofMinutes(1));
    /** Stops well within the cleanup function's timeout; what is left, the next run sends. */
    static final Duration TIME_BUDGET = Duration.ofSeconds(40);

    private final DueIndex index;
    private final WorkQueue queue;
    private final Clock clock;

    public SendDueWork(DueIndex index, WorkQueue queue, Clock clock) {
        this.index = index;
        this.queue = queue;
        this.clock = clock;
    }

    public Summary send() {
        long stopAt = System.nanoTime() + TIME_BUDGET.toNanos();
        int sent = 0;
        int unreadable = 0;
        boolean queueFailing = false;
        List<DueIndex.Marker> page;
        do {
            Instant now = clock.instant();
            page = index.dueBy(now.plus(REACH), PAGE);
            List<DueIndex.Marker> done = new ArrayList<>();
            for (DueIndex.Marker marker : page) {
                Work work = marker.work();
                if (work == null) {
                    LOG.errorf("due-work marker %s is unreadable; removing it", marker.key());
                    unreadable++;
                } else if (sent(work, now)) {
                    sent++;
                } else {
                    queueFailing = true; // the markers stay for the next run
                    break;
                }
                done.add(marker);
            }
            index.remove(done);
        } while (!queueFailing && page.size() == PAGE && System.nanoTime() < stopAt);
        Summary summary = new Summary(sent, unreadable, queueFailing ? 1 : 0);
        LOG.logf(
                sent + unreadable == 0 && !queueFailing ? Logger.Level.DEBUG : Logger.Level.INFO,
                "cleanup: %d due steps queued, %d unreadable markers removed, %d errors",
                summary.sent(),
                summary.unreadable(),
                summary.errors());
        return summary;
    }

    private boolean sent(Work work, Instant now) {
        Duration delay = Duration.between(now, work.at());
        try {
            queue.send(work, delay.isNegative() ? Duration.ZERO : delay);
            return true;
        } catch (RuntimeException e) {
            LOG.errorf("the work queue refused a due step: %s", e.getClass().getName());
            return false;
        }
    }

    /** What one cleanup did: the function's answer. */
    @RegisterForReflection
    public record Summary(int sent, int unreadable, int errors) {}
}
