package app.visage.queue;

import static app.visage.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Work;
import app.visage.jobs.port.WorkQueue;
import app.visage.local.LocalSqs;
import app.visage.messages.WorkMessages;
import app.visage.support.WorkQueues;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The work queue adapter as the application builds it: SQS through the AWS SDK, against local mode's ElasticMQ. (The
 * other tests reach it through {@code ClockedWorkQueue}, which leaves its delays to the test clock.)
 */
@QuarkusTest
class SqsWorkQueueTest {
    @Inject
    SqsWorkQueue queue;

    @Inject
    LocalSqs local;

    @Inject
    SqsClient sqs;

    private WorkQueues queues;
    private final Work wake = Work.wake(JobId.random(), Instant.parse("2026-12-03T19:05:00Z"));

    @BeforeEach
    void emptyQueues() {
        queues = WorkQueues.of(local, sqs);
        queues.purge();
    }

    @Test
    void workSentWithoutADelayIsThereAtOnceAsItsMessage() {
        queue.send(wake, Duration.ZERO);

        List<WorkQueues.Received> received = queues.drain();

        assertThat(received).singleElement().satisfies(m -> {
            assertThat(WorkMessages.decode(m.body())).isEqualTo(wake);
            assertThat(m.receiveCount()).isEqualTo(1);
        });
    }

    @Test
    void delayedWorkIsHiddenUntilItsDelayHasPassed() {
        long sent = System.nanoTime();
        queue.send(wake, Duration.ofMillis(1500)); // 2 s on the queue: never early

        List<WorkQueues.Received> early = queues.drain();
        WorkQueues.Counts counts = queues.counts();
        if (Duration.ofNanos(System.nanoTime() - sent).compareTo(Duration.ofMillis(1500)) < 0) {
            assertThat(early).isEmpty();
            assertThat(counts.delayed()).isEqualTo(1);
        }
        List<WorkQueues.Received> received = new ArrayList<>();
        await("the delayed message", () -> received.addAll(queues.drain()));

        assertThat(received)
                .singleElement()
                .satisfies(m -> assertThat(WorkMessages.decode(m.body())).isEqualTo(wake));
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void delaysAreWholeSecondsRoundedUpToSqssCeiling() {
        assertThat(SqsWorkQueue.delaySeconds(Duration.ZERO)).isZero();
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofSeconds(-5))).isZero();
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofSeconds(2))).isEqualTo(2);
        assertThat(SqsWorkQueue.delaySeconds(WorkQueue.MAX_DELAY)).isEqualTo(900);
        assertThat(SqsWorkQueue.delaySeconds(WorkQueue.MAX_DELAY.plusNanos(1))).isEqualTo(900);
        assertThat(SqsWorkQueue.delaySeconds(Duration.ofDays(3))).isEqualTo(900);
    }

    @Test
    void theLongestDelayIsOneTheQueueTakes() {
        queue.send(wake, Duration.ofHours(1));

        assertThat(queues.counts()).isEqualTo(new WorkQueues.Counts(0, 0, 1));
    }

    @Test
    void workTheQueueDidNotTakeIsAnError() {
        try (WorkQueues stopped = WorkQueues.start(Duration.ofSeconds(30), 5)) {
            WorkQueue unreachable = new SqsWorkQueue(stopped.client(), stopped.workUrl());
            stopped.stop();

            assertThatThrownBy(() -> unreachable.send(wake, Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("wake work for " + wake.job() + " was not queued")
                    .hasCauseInstanceOf(SdkException.class);
        }
    }
}
