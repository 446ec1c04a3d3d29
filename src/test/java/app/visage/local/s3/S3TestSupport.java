package app.visage.local.s3;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Clients configured the way Visage talks to S3, pointed at an {@link EmbeddedS3}. */
final class S3TestSupport {
    private S3TestSupport() {}

    enum Backend {
        IN_MEMORY,
        ON_DISK;

        EmbeddedS3 create(Path tempDir, String bucket, Consumer<EmbeddedS3.ObjectCreated> listener) {
            return switch (this) {
                case IN_MEMORY -> EmbeddedS3.inMemory(bucket, listener);
                case ON_DISK -> EmbeddedS3.onDisk(tempDir.resolve("s3"), bucket, 0, listener);
            };
        }
    }

    static S3Client client(EmbeddedS3 s3) {
        return client(s3, s3.secretKey());
    }

    static S3Client client(EmbeddedS3 s3, String secretKey) {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials(s3, secretKey))
                .forcePathStyle(true)
                // Counting winners and losers of a race needs every request sent exactly once.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static S3Presigner presigner(EmbeddedS3 s3) {
        return S3Presigner.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials(s3, s3.secretKey()))
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    private static StaticCredentialsProvider credentials(EmbeddedS3 s3, String secretKey) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), secretKey));
    }

    /** The next event, failing the test if none arrives in time (events are asynchronous). */
    static EmbeddedS3.ObjectCreated next(BlockingQueue<EmbeddedS3.ObjectCreated> events) throws InterruptedException {
        EmbeddedS3.ObjectCreated event = events.poll(5, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no ObjectCreated event within 5 s");
        }
        return event;
    }
}
