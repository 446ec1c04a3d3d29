package app.visage.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.local.s3.EmbeddedS3.ObjectCreated;
import app.visage.local.s3.S3TestSupport.Backend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class EmbeddedS3EventsTest {
    private static final String BUCKET = "visage-events";

    @TempDir
    Path tempDir;

    private final BlockingQueue<ObjectCreated> events = new LinkedBlockingQueue<>();

    @ParameterizedTest
    @EnumSource(Backend.class)
    void directAndPresignedPutsAreReportedWithDecodedKeys(Backend backend) throws Exception {
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, events::add).start();
                S3Client client = S3TestSupport.client(s3);
                S3Presigner presigner = S3TestSupport.presigner(s3)) {
            Instant before = Instant.now();
            String direct = "uploads/abc/face photo+1.jpg";
            String eTag = client.putObject(r -> r.bucket(BUCKET).key(direct), RequestBody.fromString("12345"))
                    .eTag();

            ObjectCreated first = S3TestSupport.next(events);
            assertThat(first.eventName()).isEqualTo("ObjectCreated:Put");
            assertThat(first.bucket()).isEqualTo(BUCKET);
            assertThat(first.key()).isEqualTo(direct);
            assertThat(first.size()).isEqualTo(5);
            assertThat(first.eTag()).isEqualTo(eTag.replace("\"", "")).doesNotContain("\"");
            assertThat(first.eventTime()).isBetween(before, Instant.now());

            String viaUrl = "uploads/xyz/face photo+2 (ü).jpg";
            byte[] body = "presigned body".getBytes(StandardCharsets.UTF_8);
            URI put = presigner
                    .presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                            .putObjectRequest(p -> p.bucket(BUCKET).key(viaUrl)))
                    .url()
                    .toURI();
            HttpResponse<String> response = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .build()
                    .send(
                            HttpRequest.newBuilder(put)
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

            ObjectCreated second = S3TestSupport.next(events);
            assertThat(second.eventName()).isEqualTo("ObjectCreated:Put");
            assertThat(second.key()).isEqualTo(viaUrl);
            assertThat(second.size()).isEqualTo(body.length);
            // The event comes after the object is readable.
            assertThat(client.getObjectAsBytes(r -> r.bucket(BUCKET).key(viaUrl))
                            .asByteArray())
                    .isEqualTo(body);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void failedConditionalPutIsNotReported(Backend backend) throws Exception {
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, events::add).start();
                S3Client client = S3TestSupport.client(s3)) {
            client.putObject(r -> r.bucket(BUCKET).key("once"), RequestBody.fromString("first"));
            assertThat(S3TestSupport.next(events).key()).isEqualTo("once");

            assertThatThrownBy(() -> client.putObject(
                            r -> r.bucket(BUCKET).key("once").ifNoneMatch("*"), RequestBody.fromString("second")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            assertThatThrownBy(() -> client.putObject(
                            r -> r.bucket(BUCKET).key("once").ifMatch("\"stale\""), RequestBody.fromString("third")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));

            // Events are delivered in write order: had the failed puts produced one, it would come first.
            client.putObject(r -> r.bucket(BUCKET).key("sentinel"), RequestBody.fromString("s"));
            assertThat(S3TestSupport.next(events).key()).isEqualTo("sentinel");
            assertThat(events).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void copyAndMultipartCompletionAreReported(Backend backend) throws Exception {
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, events::add).start();
                S3Client client = S3TestSupport.client(s3)) {
            client.putObject(r -> r.bucket(BUCKET).key("src/a.bin"), RequestBody.fromString("copy me"));
            S3TestSupport.next(events);

            client.copyObject(r -> r.sourceBucket(BUCKET)
                    .sourceKey("src/a.bin")
                    .destinationBucket(BUCKET)
                    .destinationKey("dst/a copy.bin"));
            ObjectCreated copied = S3TestSupport.next(events);
            assertThat(copied.key()).isEqualTo("dst/a copy.bin");
            assertThat(copied.size()).isEqualTo(7);

            String uploadId = client.createMultipartUpload(r -> r.bucket(BUCKET).key("mpu/big.bin"))
                    .uploadId();
            String partETag = client.uploadPart(
                            r -> r.bucket(BUCKET)
                                    .key("mpu/big.bin")
                                    .uploadId(uploadId)
                                    .partNumber(1),
                            RequestBody.fromString("only part"))
                    .eTag();
            CompleteMultipartUploadResponse done = client.completeMultipartUpload(r -> r.bucket(BUCKET)
                    .key("mpu/big.bin")
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(partETag))));

            ObjectCreated completed = S3TestSupport.next(events);
            assertThat(completed.key()).isEqualTo("mpu/big.bin");
            assertThat(completed.size()).isEqualTo("only part".length());
            assertThat(completed.eTag())
                    .isEqualTo(done.eTag().replace("\"", ""))
                    .endsWith("-1");
            assertThat(events)
                    .as("S3Proxy's multipart bookkeeping objects are not reported")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aThrowingListenerBreaksNeitherTheWriteNorLaterEvents(Backend backend) throws Exception {
        Thread testThread = Thread.currentThread();
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, event -> {
                            assertThat(Thread.currentThread())
                                    .as("listener runs off the request thread")
                                    .isNotSameAs(testThread);
                            if (event.key().equals("boom")) {
                                throw new IllegalStateException("listener failure");
                            }
                            events.add(event);
                        })
                        .start();
                S3Client client = S3TestSupport.client(s3)) {
            client.putObject(r -> r.bucket(BUCKET).key("boom"), RequestBody.fromString("kept"));
            assertThat(client.getObjectAsBytes(r -> r.bucket(BUCKET).key("boom"))
                            .asUtf8String())
                    .isEqualTo("kept");

            client.putObject(r -> r.bucket(BUCKET).key("after"), RequestBody.fromString("x"));
            assertThat(S3TestSupport.next(events).key()).isEqualTo("after");
        }
    }
}
