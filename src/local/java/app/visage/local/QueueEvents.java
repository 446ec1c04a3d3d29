package app.visage.local;

import app.visage.functions.events.SqsBatchResponse;
import app.visage.functions.events.SqsEvent;
import app.visage.logs.LoggableException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's event source mapping does with the work queue: long-polls it, hands each batch to the worker as an
 * SQS event, and deletes every message the answer does not list in {@code batchItemFailures}. A failed message
 * comes back after the queue's visibility timeout, and after {@code visage.local.max-receives} deliveries moves to
 * the dead-letter queue; a worker that throws, or names a message the batch does not hold, fails the whole batch.
 * {@value #POLLERS} pollers, so that one slow step does not hold every other job. Logs counts and message ids only.
 */
@ApplicationScoped
public class QueueEvents {
    private static final Logger LOG = Logger.getLogger(QueueEvents.class);
    /** As many steps at once as local mode's small machine takes; each poller hands the worker one message at a time. */
    private static final int POLLERS = 4;

    private final SqsClient sqs;
    private final LocalSqs queue;
    private ExecutorService pollers;
    private volatile boolean running;

    public QueueEvents(SqsClient sqs, LocalSqs queue) {
        this.sqs = sqs;
        this.queue = queue;
    }

    /** Delivers the queue's messages to {@code worker} until {@link #stop()}. */
    public synchronized void start(Function<SqsEvent, SqsBatchResponse> worker) {
        if (pollers != null) {
            throw new IllegalStateException("already delivering");
        }
        running = true;
        pollers = Executors.newFixedThreadPool(POLLERS, r -> {
            Thread t = new Thread(r, "visage-queue-events");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < POLLERS; i++) {
            pollers.execute(() -> poll(worker));
        }
    }

    /** Stops polling; a batch under way is finished (its deletes made) first. */
    @PreDestroy
    public synchronized void stop() {
        if (pollers == null) {
            return;
        }
        running = false;
        pollers.shutdown();
        try {
            // A poll waits at most a second for messages; a batch, as long as its worker takes.
            if (!pollers.awaitTermination(30, TimeUnit.SECONDS)) {
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            pollers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        pollers = null;
    }

    private void poll(Function<SqsEvent, SqsBatchResponse> worker) {
        while (running) {
            try {
                deliver(worker);
            } catch (RuntimeException e) {
                if (!running) {
                    return; // stopped: the poll was interrupted
                }
                LOG.errorf(LoggableException.of(e), "polling the work queue failed");
                pause();
            }
        }
    }

    private void deliver(Function<SqsEvent, SqsBatchResponse> worker) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue.queueUrl())
                        .maxNumberOfMessages(1) // the deployment's batch size (infra: WORK_BATCH_SIZE)
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNames(
                                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                MessageSystemAttributeName.SENT_TIMESTAMP,
                                MessageSystemAttributeName.SENDER_ID,
                                MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP))
                .messages();
        if (messages.isEmpty()) {
            return;
        }
        SqsBatchResponse answer;
        try {
            answer = worker.apply(event(messages));
        } catch (RuntimeException | Error e) {
            LOG.warnf(
                    "worker threw %s on a batch of %d: none deleted",
                    e.getClass().getName(), messages.size());
            return;
        }
        Set<String> failed = failed(answer);
        Set<String> ids =
                new HashSet<>(messages.stream().map(Message::messageId).toList());
        if (!ids.containsAll(failed)) {
            LOG.warnf("the worker's answer names a message not in the batch of %d: none deleted", messages.size());
            return;
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder()
                        .id("m" + done.size())
                        .receiptHandle(message.receiptHandle())
                        .build());
            }
        }
        if (!done.isEmpty()) {
            int notDeleted = sqs.deleteMessageBatch(
                            b -> b.queueUrl(queue.queueUrl()).entries(done))
                    .failed()
                    .size();
            if (notDeleted > 0) {
                LOG.warnf("%d of %d done messages not deleted: they will be delivered again", notDeleted, done.size());
            }
        }
        if (!failed.isEmpty()) {
            LOG.infof("batch of %d: failed %s", messages.size(), failed);
        }
    }

    /** The failures an answer lists; an identifier that is null or blank names no message (Lambda's reading too). */
    private static Set<String> failed(SqsBatchResponse answer) {
        Set<String> failed = new HashSet<>();
        if (answer != null && answer.batchItemFailures() != null) {
            for (SqsBatchResponse.ItemFailure failure : answer.batchItemFailures()) {
                failed.add(failure == null || failure.itemIdentifier() == null ? "" : failure.itemIdentifier());
            }
        }
        return failed;
    }

    /** The batch as Lambda's event source mapping hands it to the function. */
    public SqsEvent event(List<Message> messages) {
        return new SqsEvent(messages.stream()
                .map(m -> new SqsEvent.Record(
                        m.messageId(),
                        m.receiptHandle(),
                        m.body(),
                        new SqsEvent.Attributes(
                                m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT),
                                m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP),
                                m.attributes().get(MessageSystemAttributeName.SENDER_ID),
                                m.attributes().get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP)),
                        Map.of(),
                        m.md5OfBody(),
                        "aws:sqs",
                        queue.queueArn(),
                        queue.region()))
                .toList());
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
