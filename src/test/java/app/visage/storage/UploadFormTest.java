package app.visage.storage;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.config.VisageConfig;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.FileStore.UploadForm;
import app.visage.support.Bucket;
import app.visage.support.TestPhotos;
import app.visage.support.UploadForms;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The upload form {@link S3FileStore} signs, posted over plain HTTP to the embedded S3 (S3Proxy checks a form's
 * signature and policy as S3 does): what it lets in, and everything S3 refuses without storing a byte.
 */
@QuarkusTest
class UploadFormTest {
    /** Not under uploads/: no upload event, so nothing but this test touches the objects. */
    private static final String PREFIX = "outputs/upload-form-test/";

    @Inject
    FileStore files;

    @Inject
    Bucket bucket;

    @Inject
    S3Client s3;

    @Inject
    VisageConfig config;

    private final String key = PREFIX + UUID.randomUUID() + "/face.jpg";

    @AfterEach
    void deleteWhatWasStored() {
        files.delete(bucket.keys(PREFIX));
    }

    private UploadForm form(long maxBytes) {
        Instant now = Instant.now();
        return files.presignPost(key, "image/jpeg", maxBytes, now, now.plusSeconds(300));
    }

    @Test
    void aPhotoWithinTheLimitIsStoredWithTheSignedContentType() {
        byte[] photo = TestPhotos.bytes("astronaut.jpg");
        UploadForm form = form(photo.length);

        HttpResponse<String> answer = UploadForms.post(form.url(), form.fields(), photo);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        assertThat(bucket.bytes(key)).isEqualTo(photo);
        assertThat(s3.headObject(b -> b.bucket(config.bucket()).key(key)).contentType())
                .isEqualTo("image/jpeg");
    }

    @Test
    void oneByteOverTheLimitIsRefusedBySThreeAsEntityTooLarge() {
        byte[] photo = TestPhotos.bytes("astronaut.jpg");
        UploadForm form = form(photo.length - 1);

        HttpResponse<String> answer = UploadForms.post(form.url(), form.fields(), photo);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("<Code>EntityTooLarge</Code>");
        assertThat(bucket.keys(PREFIX)).isEmpty();
    }

    @Test
    void anEmptyFileIsRefused() {
        UploadForm form = form(1000);

        HttpResponse<String> answer = UploadForms.post(form.url(), form.fields(), new byte[0]);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("<Code>EntityTooSmall</Code>");
        assertThat(bucket.keys(PREFIX)).isEmpty();
    }

    @Test
    void aFormChangedInAnyFieldIsRefused() {
        byte[] photo = TestPhotos.bytes("astronaut.jpg");
        UploadForm form = form(photo.length);
        List<Map<String, String>> changed = List.of(
                with(form, "key", PREFIX + "elsewhere.jpg"),
                with(form, "Content-Type", "text/html"),
                with(form, "x-amz-meta-extra", "a field the policy does not name"),
                with(form, "x-amz-signature", "0".repeat(64)),
                with(form, "policy", form(photo.length * 2L).fields().get("policy")));

        for (Map<String, String> fields : changed) {
            HttpResponse<String> answer = UploadForms.post(form.url(), fields, photo);
            assertThat(answer.statusCode()).as("%s: %s", fields, answer.body()).isEqualTo(403);
        }
        assertThat(bucket.keys(PREFIX)).isEmpty();
    }

    @Test
    void anExpiredFormIsRefused() {
        Instant signed = Instant.now().minusSeconds(600);
        UploadForm form = files.presignPost(key, "image/jpeg", 1000, signed, signed.plusSeconds(300));

        HttpResponse<String> answer = UploadForms.post(form.url(), form.fields(), new byte[10]);

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("Policy expired");
        assertThat(bucket.keys(PREFIX)).isEmpty();
    }

    private static Map<String, String> with(UploadForm form, String field, String value) {
        Map<String, String> fields = new LinkedHashMap<>(form.fields());
        fields.put(field, value);
        return fields;
    }
}
