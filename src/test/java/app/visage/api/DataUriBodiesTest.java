package app.visage.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.usecase.SubmitCommand;
import app.visage.support.TestPhotos;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON body's data URI, decoded straight from the event's text, and every way of writing it that is not plain. */
@QuarkusTest
class DataUriBodiesTest {
    private static final byte[] PHOTO = TestPhotos.bytes("astronaut.jpg");

    @Inject
    JobRequests requests;

    private static APIGatewayV2HTTPEvent post(String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST /v1/jobs")
                .withRawPath("/v1/jobs")
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    private SubmitCommand submit(String faceImageJson, String params) {
        return requests.submit(
                HttpRequest.of(post("{\"operation\":\"head_shot\",\"params\":" + params + ",\"face_image\":"
                        + faceImageJson + ",\"metadata\":{\"k\":\"v\"}}")),
                Tenant.ANONYMOUS,
                JobId.random());
    }

    private SubmitCommand submit(String faceImageJson) {
        return submit(faceImageJson, "{\"width\":200}");
    }

    @Test
    void plainDataUriIsDecodedAndTheRestOfTheBodyRead() {
        SubmitCommand command =
                submit("\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(PHOTO) + "\"");
        assertThat(command.photo().bytes()).isEqualTo(PHOTO);
        assertThat(command.metadata()).containsEntry("k", "v");
        assertThat(command.params().integer(Param.WIDTH)).contains(200L);
    }

    @Test
    void escapedSlashesAndLineBreaksAreReadAsBefore() {
        String escaped = ("data:image/jpeg;base64," + Base64.getMimeEncoder().encodeToString(PHOTO))
                .replace("/", "\\/")
                .replace("\r\n", "\\r\\n");
        assertThat(submit("\"" + escaped + "\"").photo().bytes()).isEqualTo(PHOTO);
    }

    @Test
    void aRawControlCharacterInTheUriIsNotJson() {
        String encoded = Base64.getEncoder().encodeToString(PHOTO);
        String broken = encoded.substring(0, 100) + "\n" + encoded.substring(100);
        assertThat(TestPhotos.codeOf(() -> submit("\"data:image/jpeg;base64," + broken + "\"")))
                .isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @Test
    void badBase64AndBadParamsAreRefusedAsBefore() {
        assertThat(TestPhotos.codeOf(() -> submit("\"data:image/jpeg;base64,QUJD=A==\"")))
                .isEqualTo(ErrorCode.INVALID_PARAM);
        assertThat(TestPhotos.codeOf(() -> submit(
                        "\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(PHOTO) + "\"",
                        "{\"width\":99999}")))
                .isEqualTo(ErrorCode.INVALID_PARAM);
        assertThat(TestPhotos.codeOf(() -> requests.submit(
                        HttpRequest.of(
                                post("{\"operation\":\"head_shot\",\"face_image\":\"data:image/jpeg;base64,QUJD\"")),
                        Tenant.ANONYMOUS,
                        JobId.random())))
                .isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(TestPhotos.codeOf(() -> submit("42"))).isEqualTo(ErrorCode.INVALID_PARAM);
    }
}
