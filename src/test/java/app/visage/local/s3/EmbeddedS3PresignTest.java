package app.visage.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.local.s3.S3TestSupport.Backend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned URLs used the way a browser would: plain HTTP, no SDK on the calling side. */
class EmbeddedS3PresignTest {
    private static final String BUCKET = "visage-presign";
    private static final String KEY = "uploads/abc/face photo+1.jpg";

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void presignedPutThenGet(Backend backend) throws Exception {
        byte[] photo = "not really a jpeg".getBytes(StandardCharsets.UTF_8);
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, e -> {}).start();
                S3Presigner presigner = S3TestSupport.presigner(s3)) {
            URI put = presignPut(presigner, KEY, Duration.ofMinutes(5));
            assertThat(put.getRawPath())
                    .as("path-style, key encoded")
                    .startsWith("/" + BUCKET + "/uploads/abc/face%20photo");

            HttpResponse<String> uploaded = http.send(
                    HttpRequest.newBuilder(put)
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(photo))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);

            URI get = presigner
                    .presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                            .getObjectRequest(g -> g.bucket(BUCKET).key(KEY)))
                    .url()
                    .toURI();
            HttpResponse<byte[]> downloaded =
                    http.send(HttpRequest.newBuilder(get).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(downloaded.statusCode()).isEqualTo(200);
            assertThat(downloaded.body()).isEqualTo(photo);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void tamperedSignatureIsRefused(Backend backend) throws Exception {
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, e -> {}).start();
                S3Presigner presigner = S3TestSupport.presigner(s3)) {
            String url = presignPut(presigner, KEY, Duration.ofMinutes(5)).toString();
            int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
            char flipped = url.charAt(at) == '0' ? '1' : '0';
            URI tampered = URI.create(url.substring(0, at) + flipped + url.substring(at + 1));

            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(tampered)
                            .PUT(HttpRequest.BodyPublishers.ofString("evil"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("SignatureDoesNotMatch");

            // Signing a different key than the one requested is tampering too.
            URI otherKey = URI.create(url.replace("face%20photo", "other%20photo"));
            assertThat(http.send(
                                    HttpRequest.newBuilder(otherKey)
                                            .PUT(HttpRequest.BodyPublishers.ofString("x"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    void expiredUrlIsRefused() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.inMemory(BUCKET, e -> {}).start();
                S3Presigner presigner = S3TestSupport.presigner(s3)) {
            Instant signed = Instant.now();
            URI put = presignPut(presigner, KEY, Duration.ofSeconds(1));
            // X-Amz-Date has whole seconds, so wait past the signing second plus the 1 s validity.
            Thread.sleep(Math.max(
                    0, Duration.between(Instant.now(), signed.plusMillis(2_100)).toMillis()));

            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(put)
                            .PUT(HttpRequest.BodyPublishers.ofString("late"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("AccessDenied").contains("expired");
        }
    }

    private static URI presignPut(S3Presigner presigner, String key, Duration validity) throws Exception {
        return presigner
                .presignPutObject(r -> r.signatureDuration(validity)
                        .putObjectRequest(p -> p.bucket(BUCKET).key(key)))
                .url()
                .toURI();
    }
}
