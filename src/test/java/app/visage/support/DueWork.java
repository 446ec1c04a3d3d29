package app.visage.support;

import app.visage.functions.CleanupFunction;
import app.visage.functions.WorkerFunction;
import app.visage.functions.events.ScheduledEvent;
import app.visage.jobs.usecase.SendDueWork;
import app.visage.local.LocalSqs;
import app.visage.local.QueueEvents;
import app.visage.messages.UnreadableMessage;
import app.visage.messages.WorkMessages;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What AWS does between a test's steps, on the {@link TestClock}: the scheduled cleanup, then the worker on every
 * message of the real (embedded) work queue that is due by the clock as the run began, one message an event as the deployment's
 * event source mapping delivers them, until none is left. Work sent meanwhile that is due runs in the same run.
 *
 * <p>A message not yet due is sent again untouched (it was never delivered, so its receive count starts over); a
 * message the worker reports failed is made visible again at the end, to be delivered anew by a later run, with
 * its receive count one higher, up to the dead-letter queue. Fault tests use the same steps one by one ({@link
 * #takeDue}, {@link #deliverOne}, {@link #delete}, {@link #putBack}, {@link #redeliver}) to deliver a message
 * twice, late or concurrently.
 */
@ApplicationScoped
public class DueWork {
    /** Long enough that nothing taken is seen again unless it is put back. */
    private static final int HOLD_SECONDS = 600;

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
        // Due by the clock as the run began: the wall clock under the test clock moves on meanwhile, and work a step
        // sends for a moment later (a poll's back-off) must not run in this run on how long the step took.
        Instant now = clock.instant();
        List<Message> notDue = new ArrayList<>(); // held to the end of the run
        List<Message> failed = new ArrayList<>();
        int delivered = 0;
        for (List<Message> due = take(notDue, now); !due.isEmpty(); due = take(notDue, now)) {
            for (Message m : due) {
                delivered++;
                if (deliverOne(m)) {
                    delete(m);
                } else {
                    failed.add(m);
                }
            }
        }
        sendBack(notDue);
        failed.forEach(this::putBack);
        return new Run(sent, delivered, failed.size());
    }

    /** Takes every message due by the clock off the queue (hidden, not deleted); those not yet due go back. */
    public List<Message> takeDue() {
        List<Message> notDue = new ArrayList<>();
        List<Message> due = take(notDue, clock.instant());
        sendBack(notDue);
        return due;
    }

    /** Receives every visible message: answers those due by {@code now}, adds the others (hidden) to {@code notDue}. */
    private List<Message> take(List<Message> notDue, Instant now) {
        List<Message> due = new ArrayList<>();
        for (List<Message> batch = receive(); !batch.isEmpty(); batch = receive()) {
            for (Message m : batch) {
                (isDue(m, now) ? due : notDue).add(m);
            }
        }
        return due;
    }

    /** Messages never delivered go back as they were sent, their receive count starting over. */
    private void sendBack(List<Message> notDue) {
        for (Message m : notDue) {
            sqs.sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(m.body()));
            delete(m);
        }
    }

    /** Hands {@code message} to the worker as an event of one; answers whether the worker did it (reported no failure). */
    public boolean deliverOne(Message message) {
        return worker.worker(events.event(List.of(message))).batchItemFailures().stream()
                .noneMatch(f -> message.messageId().equals(f.itemIdentifier()));
    }

    /** What the event source mapping does with a message the worker did: it is deleted. */
    public void delete(Message message) {
        sqs.deleteMessage(b -> b.queueUrl(queue.queueUrl()).receiptHandle(message.receiptHandle()));
    }

    /** Leaves a message taken but not done to the queue again, visible at once. */
    public void putBack(Message message) {
        sqs.changeMessageVisibility(b -> b.queueUrl(queue.queueUrl())
                .receiptHandle(message.receiptHandle())
                .visibilityTimeout(0));
    }

    /**
     * The queue's redelivery of a message taken earlier (and perhaps still being worked on): its visibility timeout
     * runs out now, and it is received again, with its receive count one higher and a new receipt handle. Other
     * messages received meanwhile are left visible, as they were.
     */
    public Message redeliver(Message taken) {
        putBack(taken);
        List<Message> others = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < 50; attempt++) {
                for (Message m : receive()) {
                    if (m.messageId().equals(taken.messageId())) {
                        return m;
                    }
                    others.add(m);
                }
            }
            throw new AssertionError("the queue did not deliver message " + taken.messageId() + " again");
        } finally {
            others.forEach(this::putBack);
        }
    }

    /** How many times the queue has delivered {@code message}, 1 the first time. */
    public static int receiveCount(Message message) {
        return Integer.parseInt(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
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
}
