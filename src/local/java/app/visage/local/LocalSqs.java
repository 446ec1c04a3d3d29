package app.visage.local;

import app.visage.local.sqs.EmbeddedSqs;
import app.visage.queue.SqsTarget;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The embedded SQS (ElasticMQ) as the SQS every client talks to, with the work queue and its dead-letter queue.
 * Started on first use; {@link QueueEvents} delivers its messages to the {@code worker} function.
 */
@ApplicationScoped
public class LocalSqs implements SqsTarget {
    private final EmbeddedSqs sqs;

    public LocalSqs(LocalConfig local) {
        this.sqs = new EmbeddedSqs(local.sqsPort(), local.visibilityTimeout(), local.maxReceives()).start();
    }

    @Override
    public URI endpoint() {
        return sqs.endpoint();
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return sqs.credentials();
    }

    @Override
    public String queueUrl() {
        return sqs.queues().workUrl();
    }

    /** The work queue's ARN, which an SQS event names as its source. */
    public String queueArn() {
        return sqs.queues().workArn();
    }

    public String deadLetterQueueUrl() {
        return sqs.queues().deadLetterUrl();
    }

    public String region() {
        return sqs.region();
    }

    @PreDestroy
    void stop() {
        sqs.close();
    }
}
