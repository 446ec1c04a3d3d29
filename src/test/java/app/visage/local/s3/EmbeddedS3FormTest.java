package app.visage.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.local.s3.EmbeddedS3.ObjectCreated;
import app.visage.local.s3.S3TestSupport.Backend;
import app.visage.storage.PostPolicy;
import app.visage.support.UploadForms;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.S3Client;

/** Browser-upload forms (POST Object) on the embedded S3: reported as S3 reports them, and refused unread when huge. */
class EmbeddedS3FormTest {
    private static final String BUCKET = "visage-forms";
    private static final String KEY = "uploads/abc/face.jpg";

    @TempDir
    Path tempDir;

    private final BlockingQueue<ObjectCreated> events = new LinkedBlockingQueue<>();

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPostedFormIsStoredAndReportedAsAPost(Backend backend) throws Exception {
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, events::add).start();
                S3Client client = S3TestSupport.client(s3)) {
            byte[] photo = "a photo".getBytes(StandardCharsets.UTF_8);

            HttpResponse<String> answer = UploadForms.post(bucketUrl(s3), fields(s3, 100), photo);

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
            ObjectCreated created = S3TestSupport.next(events);
            assertThat(created.eventName()).isEqualTo("ObjectCreated:Post");
            assertThat(created.key()).isEqualTo(KEY);
            assertThat(created.size()).isEqualTo(photo.length);
            assertThat(client.getObjectAsBytes(r -> r.bucket(BUCKET).key(KEY)).asByteArray())
                    .isEqualTo(photo);
        }
    }

    /** The announced length decides, before a byte of the body is read (S3Proxy would hold all of it in memory). */
    @Test
    void aFormLargerThanTheEmbeddedS3HoldsIsRefusedUnread() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.inMemory(BUCKET, events::add).start()) {
            String answer = rawPost(s3, "Content-Length: " + (RequestBodyFilter.MAX_FORM_BYTES + 1));

            assertThat(answer).startsWith("HTTP/1.1 400").contains("<Code>EntityTooLarge</Code>");
            assertThat(events).isEmpty();
        }
    }

    @Test
    void aFormWithoutALengthIsRefused() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.inMemory(BUCKET, events::add).start()) {
            String answer = rawPost(s3, "Transfer-Encoding: chunked");

            assertThat(answer).startsWith("HTTP/1.1 411").contains("<Code>MissingContentLength</Code>");
        }
    }

    private static URI bucketUrl(EmbeddedS3 s3) {
        return URI.create(s3.endpoint() + "/" + BUCKET + "/");
    }

    private static Map<String, String> fields(EmbeddedS3 s3, long maxBytes) {
        Instant now = Instant.now();
        return new PostPolicy(BUCKET, KEY, "image/jpeg", maxBytes, now, now.plusSeconds(60))
                .fields(s3.region(), s3.accessKey(), s3.secretKey(), null);
    }

    /** A form's request line and headers only: the answer must come without the body. */
    private static String rawPost(EmbeddedS3 s3, String lengthHeader) throws IOException {
        URI endpoint = s3.endpoint();
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /" + BUCKET + "/ HTTP/1.1\r\nHost: " + endpoint.getAuthority()
                            + "\r\nContent-Type: multipart/form-data; boundary=b\r\n" + lengthHeader + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(400), StandardCharsets.UTF_8);
        }
    }
}
