package app.visage.local.sqs;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An in-process SQS (ElasticMQ's REST server, in memory) for local mode and tests, bound to 127.0.0.1, holding the
 * work queue {@value #WORK_QUEUE} and its dead-letter queue {@value #DEAD_LETTER_QUEUE}, as the deployment creates
 * them: a message received {@code maxReceives} times without being deleted moves to the dead-letter queue.
 * ElasticMQ takes any credentials; the clients get fixed ones so that they never look for real ones.
 */
public final class EmbeddedSqs implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String WORK_QUEUE = "visage-work";
    public static final String DEAD_LETTER_QUEUE = "visage-work-dlq";
    private static final String HOST = "127.0.0.1";

    /** The queues' URLs, and the work queue's ARN (an SQS event names its source queue by it). */
    public record Queues(String workUrl, String workArn, String deadLetterUrl) {}

    private final int requestedPort;
    private final Duration visibilityTimeout;
    private final int maxReceives;
    private ActorSystem actors;
    private SQSRestServer server;
    private URI endpoint;
    private Queues queues;

    /** {@code port} 0 picks a free one. */
    public EmbeddedSqs(int port, Duration visibilityTimeout, int maxReceives) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        this.requestedPort = port;
        this.visibilityTimeout = visibilityTimeout;
        this.maxReceives = maxReceives;
    }

    /** Starts the server and creates both queues. Returns this, for chaining. */
    public synchronized EmbeddedSqs start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        // Our own actor system, with daemon threads: ElasticMQ stops the one it makes only if it bound its port,
        // and a non-daemon thread left behind would keep the JVM from exiting. It is stopped by close(), in the
        // application's shutdown, not by a JVM shutdown hook of its own.
        actors = ActorSystem.create(
                "visage-sqs",
                ConfigFactory.parseString(
                                "pekko.daemonic = on\npekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                        .withFallback(ConfigFactory.load()));
        try {
            server = SQSRestServerBuilder.withActorSystem(actors)
                    .withInterface(HOST)
                    .withPort(requestedPort)
                    .withAWSRegion(REGION)
                    .start();
            endpoint = URI.create("http://" + HOST + ":"
                    + server.waitUntilStarted().localAddress().getPort());
            queues = createQueues();
        } catch (Exception e) { // Scala rethrows a failed bind as the checked BindException
            close();
            throw new IllegalStateException("embedded SQS did not start on " + HOST + ":" + requestedPort, e);
        }
        return this;
    }

    private Queues createQueues() {
        try (SqsClient sqs = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .build()) {
            String deadLetterUrl =
                    sqs.createQueue(b -> b.queueName(DEAD_LETTER_QUEUE)).queueUrl();
            String redrive = "{\"deadLetterTargetArn\":\"" + arn(sqs, deadLetterUrl) + "\",\"maxReceiveCount\":\""
                    + maxReceives + "\"}";
            String workUrl = sqs.createQueue(b -> b.queueName(WORK_QUEUE)
                            .attributes(Map.of(
                                    QueueAttributeName.VISIBILITY_TIMEOUT,
                                    Long.toString(visibilityTimeout.toSeconds()),
                                    QueueAttributeName.REDRIVE_POLICY,
                                    redrive)))
                    .queueUrl();
            return new Queues(workUrl, arn(sqs, workUrl), deadLetterUrl);
        }
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    /** Stops the server (its messages are gone) and its actor system. */
    @Override
    public synchronized void close() {
        try {
            if (endpoint != null) { // a server that never bound has nothing to stop: its actor system is all
                server.stopAndWait();
            }
        } finally {
            server = null;
            endpoint = null;
            if (actors != null) {
                actors.terminate();
                try {
                    actors.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    // Daemon threads: whatever is left does not hold the JVM.
                }
                actors = null;
            }
        }
    }

    /** {@code http://127.0.0.1:PORT}; only after {@link #start()}. */
    public synchronized URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("not started");
        }
        return endpoint;
    }

    public synchronized Queues queues() {
        if (queues == null) {
            throw new IllegalStateException("not started");
        }
        return queues;
    }

    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("visage-local", "visage-local-secret"));
    }

    public String region() {
        return REGION;
    }
}
