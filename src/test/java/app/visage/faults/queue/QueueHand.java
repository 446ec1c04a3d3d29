package app.visage.faults.queue;

import app.visage.functions.WorkerFunction;
import app.visage.functions.events.SqsBatchResponse;
import app.visage.local.LocalSqs;
import app.visage.local.QueueEvents;
import app.visage.messages.UnreadableMessage;
import app.visage.messages.WorkMessages;
import app.visage.support.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A test's own hand on local mode's work queue, for the faults the event source mapping never makes on cue: it
 * takes the due messages off the real (embedded) queue and hands them to the {@link WorkerFunction} as often, as
 * late or as concurrently as a fault test wants, and it makes a message the queue's again (its visibility timeout
 * run out) to be received anew, with its receive count one higher.
 *
 * <p>What is due is decided as {@code support/DueWork} decides it (copied from there: that file is being reworked
 * elsewhere): by the {@link TestClock}, a body that is no work being due at once; a message not yet due is sent
 * back untouched.
 */
public final class QueueHand {
    /** Long enough that nothing taken is seen again unless a test makes it visible. */
    private static final int HOLD_SECONDS = 600;

    private final WorkerFunction worker;
    private final QueueEvents events;
    private final SqsClient sqs;
    private final LocalSqs queue;
    private final TestClock clock;

    public QueueHand(WorkerFunction worker, QueueEvents events, SqsClient sqs, LocalSqs queue, TestClock clock) {
        this.worker = worker;
        this.events = events;
        this.sqs = sqs;
        this.queue = queue;
        this.clock = clock;
    }

    /** Takes every message due by the test clock off the queue (hidden, not deleted); those not due go back. */
    public List<Message> takeDue() {
        List<Message> due = new ArrayList<>();
        List<Message> notDue = new ArrayList<>();
        for (List<Message> batch = receive(); !batch.isEmpty(); batch = receive()) {
            Instant now = clock.instant();
            for (Message m : batch) {
                (isDue(m, now) ? due : notDue).add(m);
            }
        }
        for (Message m : notDue) {
            sqs.sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(m.body()));
            delete(m);
        }
        return due;
    }

    /** Hands {@code message} to the worker as a batch of one; answers whether the worker did it (reported no failure). */
    public boolean deliver(Message message) {
        SqsBatchResponse answer = worker.worker(events.event(List.of(message)));
        return answer.batchItemFailures().stream()
                .noneMatch(f -> message.messageId().equals(f.itemIdentifier()));
    }

    /** What the event source mapping does with a message the worker did: it is deleted. */
    public void delete(Message message) {
        sqs.deleteMessage(b -> b.queueUrl(queue.queueUrl()).receiptHandle(message.receiptHandle()));
    }

    /** Leaves a message taken but not worked on to the queue again, visible at once. */
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

    private static boolean isDue(Message m, Instant now) {
        try {
            return !WorkMessages.decode(m.body()).at().isAfter(now);
        } catch (UnreadableMessage e) {
            return true;
        }
    }
}
