package app.visage.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Local mode's own settings ({@code visage.local.*}); none of them exist in the Lambda artifact. */
@ConfigMapping(prefix = "visage.local")
public interface LocalConfig {

    /** Serve the HTTP API and run the cleanup timer at start-up (off in tests, which start what they need). */
    @WithDefault("true")
    boolean serve();

    @WithDefault("127.0.0.1")
    String host();

    @WithDefault("8080")
    int port();

    /**
     * Where the embedded S3 keeps objects; empty keeps them in memory. The default lives here, not in
     * application.properties: the Lambda artifact has no {@code visage.local} mapping, and a
     * {@code visage.local.*} property it cannot map fails its start-up.
     */
    @WithDefault(".visage-data")
    Optional<String> dataDir();

    /** Port of the embedded S3 (presigned URLs point at it); 0 picks a free one. */
    @WithDefault("9000")
    int s3Port();

    /**
     * How often local mode runs the cleanup (it sends the due-work markers to the queue), then its stand-in for
     * the bucket's lifecycle rules. (The property's name is older than the cleanup, and kept.)
     */
    @WithDefault("PT10S")
    Duration sweepInterval();

    /** Port of the embedded SQS (ElasticMQ); 0 picks a free one. */
    @WithDefault("9324")
    int sqsPort();

    /** How long a message the worker received stays hidden before it is delivered again (the queue's own setting). */
    @WithDefault("PT2M")
    Duration visibilityTimeout();

    /** Deliveries of a message before it moves to the dead-letter queue (the redrive policy's maxReceiveCount). */
    @WithDefault("5")
    int maxReceives();

    /**
     * Deliver the work queue's messages to the worker, as the event source mapping does in AWS. Off only in tests
     * that hand the worker its due work themselves, on a clock they move.
     */
    @WithDefault("true")
    boolean queueEvents();

    /** Deliver object-created events under uploads/ to the upload function, as the bucket notification does. */
    @WithDefault("true")
    boolean uploadEvents();

    /** Largest request body the local server reads (API Gateway's own limit is 10 MB). */
    @WithDefault("16777216")
    int maxBodyBytes();
}
