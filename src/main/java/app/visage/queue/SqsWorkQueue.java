package app.visage.queue;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Work;
import app.visage.jobs.port.WorkQueue;
import app.visage.messages.WorkMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The work queue on SQS: one message per step of work, its body a {@link WorkMessages} document. */
@ApplicationScoped
public class SqsWorkQueue implements WorkQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    @Inject
    public SqsWorkQueue(SqsClient sqs, VisageConfig config, Instance<SqsTarget> target) {
        this(
                sqs,
                target.isResolvable()
                        ? target.get().queueUrl()
                        : config.queue()
                                .url()
                                .orElseThrow(() -> new IllegalStateException(
                                        "visage.queue.url (VISAGE_QUEUE_URL) is not set: no work queue to send to")));
    }

    public SqsWorkQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(Work work, Duration delay) {
        String body = WorkMessages.encode(work);
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).delaySeconds(delaySeconds(delay)));
        } catch (SdkException e) {
            throw new IllegalStateException(work.kind().wire() + " work for " + work.subject() + " was not queued", e);
        }
    }

    /** SQS's DelaySeconds: whole seconds, rounded up so that work is never early, from 0 to 900. */
    static int delaySeconds(Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            return 0;
        }
        long seconds = delay.getSeconds() + (delay.getNano() > 0 ? 1 : 0);
        return (int) Math.min(seconds, MAX_DELAY.getSeconds());
    }
}
