package app.visage.support;

import app.visage.json.Json;
import app.visage.local.LocalSqs;
import app.visage.local.sqs.EmbeddedSqs;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The embedded SQS's work queue and dead-letter queue, seen from a test: a standalone server ({@link #start}) or
 * local mode's ({@link #of}), with what is on them and ways to empty them.
 */
public final class WorkQueues implements AutoCloseable {
    /** A message taken off a queue. */
    public record Received(String messageId, String body, int receiveCount) {}

    /** A queue's approximate counts, which ElasticMQ keeps exactly. */
    public record Counts(int visible, int inFlight, int delayed) {
        public boolean empty() {
            return visible + inFlight + delayed == 0;
        }
    }

    private final SqsClient sqs;
    private final String workUrl;
    private final String deadLetterUrl;
    private final EmbeddedSqs owned;

    private WorkQueues(SqsClient sqs, String workUrl, String deadLetterUrl, EmbeddedSqs owned) {
        this.sqs = sqs;
        this.workUrl = workUrl;
        this.deadLetterUrl = deadLetterUrl;
        this.owned = owned;
    }

    /** A server of its own on a free port, with a client of its own; {@link #close()} stops both. */
    public static WorkQueues start(Duration visibilityTimeout, int maxReceives) {
        EmbeddedSqs server = new EmbeddedSqs(0, visibilityTimeout, maxReceives).start();
        SqsClient client = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(server.endpoint())
                .region(Region.of(server.region()))
                .credentialsProvider(server.credentials())
                .build();
        return new WorkQueues(client, server.queues().workUrl(), server.queues().deadLetterUrl(), server);
    }

    /** Local mode's queues in a Quarkus test, through the application's client; they stop with the application. */
    public static WorkQueues of(LocalSqs local, SqsClient client) {
        return new WorkQueues(client, local.queueUrl(), local.deadLetterQueueUrl(), null);
    }

    public SqsClient client() {
        return sqs;
    }

    /** Where the queue's server listens. */
    public URI endpoint() {
        return sqs.serviceClientConfiguration().endpointOverride().orElseThrow();
    }

    public String workUrl() {
        return workUrl;
    }

    /** Sends {@code body} as it is (work or not) to the work queue; answers its message id. */
    public String sendRaw(String body) {
        return sqs.sendMessage(b -> b.queueUrl(workUrl).messageBody(body)).messageId();
    }

    /** Takes every visible message off the work queue, in no particular order. */
    public List<Received> drain() {
        return drain(workUrl);
    }

    public List<Received> drainDeadLetters() {
        return drain(deadLetterUrl);
    }

    public Counts counts() {
        return counts(workUrl);
    }

    public Counts deadLetterCounts() {
        return counts(deadLetterUrl);
    }

    /** Empties both queues, messages in flight and delayed too. */
    public void purge() {
        sqs.purgeQueue(b -> b.queueUrl(workUrl));
        sqs.purgeQueue(b -> b.queueUrl(deadLetterUrl));
    }

    /** Stops a standalone server; its client stays open, to see what a stopped queue does to a sender. */
    public void stop() {
        if (owned == null) {
            throw new IllegalStateException("local mode's queue stops with the application");
        }
        owned.close();
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
            sqs.close();
        }
    }

    /**
     * {@code messages} as the event source mapping hands them to the {@code worker} function: the sample SQS batch of
     * {@code events/}, its records replaced by them.
     */
    public static String lambdaEvent(List<Received> messages) {
        try {
            ObjectNode batch = (ObjectNode) Json.MAPPER.readTree(
                    Path.of("events", "worker-sqs-batch.json").toFile());
            ObjectNode template = (ObjectNode) batch.get("Records").get(0);
            ArrayNode records = batch.putArray("Records");
            for (Received m : messages) {
                ObjectNode record = template.deepCopy();
                record.put("messageId", m.messageId());
                record.put("body", m.body());
                ((ObjectNode) record.get("attributes"))
                        .put("ApproximateReceiveCount", String.valueOf(m.receiveCount()));
                records.add(record);
            }
            return batch.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Received> drain(String url) {
        List<Received> received = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages();
            if (batch.isEmpty()) {
                return received;
            }
            for (Message m : batch) {
                received.add(new Received(
                        m.messageId(),
                        m.body(),
                        Integer.parseInt(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private Counts counts(String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes();
        return new Counts(
                Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
    }
}
