package app.visage.support;

import app.visage.functions.CleanupFunction;
import app.visage.functions.WorkerFunction;
import app.visage.functions.events.ScheduledEvent;
import app.visage.functions.events.SqsBatchResponse;
import app.visage.jobs.usecase.SendDueWork;
import app.visage.local.LocalSqs;
import app.visage.local.QueueEvents;
import app.visage.messages.UnreadableMessage;
import app.visage.messages.WorkMessages;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What AWS does between a test's steps, on the {@link TestClock}: the scheduled cleanup, then the worker on every
 * message of the real (embedded) work queue that is due by the clock, batch by batch as the event source mapping
 * delivers them, until none is left. Work sent meanwhile that is due runs in the same run.
 *
 * <p>A message not yet due is sent again untouched (it was never delivered, so its receive count starts over); a
 * message the worker reports failed is made visible again at the end, to be delivered anew by a later run, with
 * its receive count one higher, up to the dead-letter queue.
 */
@ApplicationScoped
public class DueWork {
    /** Long enough that nothing received in a run is seen twice in it. */
    private static final int HOLD_SECONDS = 600;

    /** What one run did. */
    /** What one run did; {@code cleanup} is null when it ran none. */
    public record Run(SendDueWork.Summary cleanup, int delivered, int failures) {}

    private final CleanupFunction cleanup;
    private final WorkerFunction worker;
    private final QueueEvents events;
    private final SqsClient sqs;
    private final LocalSqs queue;
    private final TestClock clock;

    public DueWork(
            CleanupFunction cleanup,
            WorkerFunction worker,
            QueueEvents events,
            SqsClient sqs,
            LocalSqs queue,
            TestClock clock) {
        this.cleanup = cleanup;
        this.worker = worker;
        this.events = events;
        this.sqs = sqs;
        this.queue = queue;
        this.clock = clock;
    }

    /** Empties the work queue and its dead-letter queue: what an earlier test left must not run in the next. */
    public void purge() {
        WorkQueues.of(queue, sqs).purge();
    }

    /** The cleanup, then {@link #deliver()}. */
    public Run run() {
        SendDueWork.Summary sent = cleanup.cleanup(new ScheduledEvent(
                UUID.randomUUID().toString(),
                "Scheduled Event",
                "aws.events",
                clock.instant().toString()));
        return deliver(sent);
    }

    /** The worker on every message due by the clock, without a cleanup first. */
    public Run deliver() {
        return deliver(null);
    }

    private Run deliver(SendDueWork.Summary sent) {
        List<Message> notDue = new ArrayList<>();
        List<Message> failed = new ArrayList<>();
        int delivered = 0;
        for (List<Message> batch = receive(); !batch.isEmpty(); batch = receive()) {
            Instant now = clock.instant();
            List<Message> due = new ArrayList<>();
            for (Message m : batch) {
                (isDue(m, now) ? due : notDue).add(m);
            }
            if (due.isEmpty()) {
                continue;
            }
            delivered += due.size();
            Set<String> failures = failed(worker.worker(events.event(due)));
            for (Message m : due) {
                if (failures.contains(m.messageId())) {
                    failed.add(m);
                } else {
                    delete(m);
                }
            }
        }
        for (Message m : notDue) {
            sqs.sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(m.body()));
            delete(m);
        }
        for (Message m : failed) {
            sqs.changeMessageVisibility(b -> b.queueUrl(queue.queueUrl())
                    .receiptHandle(m.receiptHandle())
                    .visibilityTimeout(0));
        }
        return new Run(sent, delivered, failed.size());
    }

    private List<Message> receive() {
        return sqs.receiveMessage(b -> b.queueUrl(queue.queueUrl())
                        .maxNumberOfMessages(10)
                        .visibilityTimeout(HOLD_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages();
    }

    /** Work is due at its time; a body that is not work is delivered at once, for the worker to refuse. */
    private static boolean isDue(Message m, Instant now) {
        try {
            return !WorkMessages.decode(m.body()).at().isAfter(now);
        } catch (UnreadableMessage e) {
            return true;
        }
    }

    private static Set<String> failed(SqsBatchResponse answer) {
        Set<String> ids = new HashSet<>();
        answer.batchItemFailures().forEach(f -> ids.add(f.itemIdentifier()));
        return ids;
    }

    private void delete(Message m) {
        sqs.deleteMessage(b -> b.queueUrl(queue.queueUrl()).receiptHandle(m.receiptHandle()));
    }
}
