package app.visage.support;

import app.visage.jobs.model.Work;
import app.visage.jobs.port.WorkQueue;
import app.visage.queue.SqsWorkQueue;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The real SQS work queue, with its delays left to the {@link TestClock}: tests move that clock, not the wall, so
 * work is sent at once and {@link DueWork} holds back what the clock says is not due yet. Tests on the wall clock
 * ({@code visage-test.real-queue-delays=true}) keep SQS's delays.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ClockedWorkQueue implements WorkQueue {
    private final SqsWorkQueue sqs;
    private final boolean realDelays;

    public ClockedWorkQueue(
            SqsWorkQueue sqs,
            @ConfigProperty(name = "visage-test.real-queue-delays", defaultValue = "false") boolean realDelays) {
        this.sqs = sqs;
        this.realDelays = realDelays;
    }

    @Override
    public void send(Work work, Duration delay) {
        sqs.send(work, realDelays ? delay : Duration.ZERO);
    }
}
