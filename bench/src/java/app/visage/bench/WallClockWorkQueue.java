package app.visage.bench;

import app.visage.jobs.model.Work;
import app.visage.jobs.port.WorkQueue;
import app.visage.queue.SqsWorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;

/**
 * The SQS work queue with its real delays, for a bench on the wall clock: the test sources' {@code ClockedWorkQueue}
 * sends everything at once unless {@code visage-test.real-queue-delays} is set; this bench selects the adapter's
 * own behaviour explicitly instead, by its test profile ({@code getEnabledAlternatives}), and nowhere else.
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
