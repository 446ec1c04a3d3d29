package app.visage.bench;

import app.visage.jobs.model.Work;
import app.visage.jobs.port.WorkQueue;
import app.visage.queue.SqsWorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;

/**
 * The SQS work queue with its real delays, for a bench on the wall clock: the test sources' {@code ClockedWorkQueue}
 * sends everything at once (tests move a clock instead), and its switch back to real delays
 * ({@code visage.test.real-queue-delays}) cannot be set: an unknown {@code visage.*} key fails the start. Selected
 * only by a bench's test profile ({@code getEnabledAlternatives}), so it outranks that one there and nowhere else.
 */
@Alternative
@ApplicationScoped
public class WallClockWorkQueue implements WorkQueue {
    private final SqsWorkQueue sqs;

    public WallClockWorkQueue(SqsWorkQueue sqs) {
        this.sqs = sqs;
    }

    @Override
    public void send(Work work, Duration delay) {
        sqs.send(work, delay);
    }
}
