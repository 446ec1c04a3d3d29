package app.visage.faults.queue;

import app.visage.jobs.model.Work;
import app.visage.queue.SqsWorkQueue;
import app.visage.support.ClockedWorkQueue;
import jakarta.enterprise.inject.Vetoed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fault tests' work queue (the real SQS one, its delays left to the test clock), which refuses every send while
 * {@link #refuse refusing}, as SQS does when it is unreachable or throttles past the SDK's retries. Installed over
 * the application's work queue for one test ({@code QuarkusMock} wants a subclass of the bean it replaces), so every
 * sender meets it: a record's write, a provider webhook, the cleanup. Not a bean itself.
 */
@Vetoed
public final class RefusingWorkQueue extends ClockedWorkQueue {
    private final List<Work> refused = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    public RefusingWorkQueue(SqsWorkQueue sqs) {
        super(sqs, false);
    }

    public void refuse(boolean refuse) {
        refusing = refuse;
    }

    /** Every send refused so far, in order. */
    public List<Work> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void send(Work work, Duration delay) {
        if (refusing) {
            refused.add(work);
            throw new IllegalStateException(work.kind().wire() + " work was not queued: the queue refuses sends");
        }
        super.send(work, delay);
    }
}
