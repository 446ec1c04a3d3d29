package app.visage.emulators.metahuman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.emulators.EmulatorServer.Recorded;
import app.visage.emulators.metahuman.MetaHumanEmulator.Part;
import app.visage.emulators.metahuman.MetaHumanEmulator.Script;
import app.visage.support.TestPhotos;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MetaHuman SDK emulator keeps the documented face reconstruction contract, checked over real HTTP. */
class MetaHumanEmulatorTest {
    private static final String TOKEN = "0b8a4f1e-7d1c-4c55-9a57-3f0c2f6c9e11";
    private static final String BOUNDARY = "----visage-test-boundary";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PHOTO = TestPhotos.bytes("astronaut.jpg");

    private final HttpClient http = HttpClient.newHttpClient();
    private MetaHumanEmulator metahuman;

    @BeforeEach
    void start() {
        metahuman = new MetaHumanEmulator(TOKEN);
    }

    @AfterEach
    void stop() {
        metahuman.close();
    }

    @Test
    void aPhotoGivesBlendShapesAndATextureAtARelativeUrl() throws Exception {
        HttpResponse<String> response = pipeline(TOKEN, PHOTO);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body).isEqualTo(metahuman.lastResult());
        JsonNode result = body.get("result");
        assertThat(result.at("/face/blendShapes")).hasSize(80).allMatch(JsonNode::isNumber);
        assertThat(result.at("/face/blinkCorrectionCoeff").isNumber()).isTrue();
        assertThat(result.at("/hair/color").asText()).matches("#[0-9a-f]{6}");
        assertThat(result.at("/skin/color").asText()).matches("#[0-9a-f]{6}");
        assertThat(result.get("accessories").isArray()).isTrue();
        assertThat(result.get("gender").asText()).isNotBlank();

        String textureUrl = result.at("/face/textureUrl").asText();
        assertThat(textureUrl).matches("/static/[0-9a-f-]{36}_texture\\.png");
        HttpResponse<byte[]> texture = http.send(
                HttpRequest.newBuilder(metahuman.baseUrl().resolve(textureUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(texture.statusCode()).isEqualTo(200);
        assertThat(texture.body()).isEqualTo(metahuman.textureOf(body));
        BufferedImage image = TestPhotos.read(texture.body());
        assertThat(new int[] {image.getWidth(), image.getHeight()}).containsExactly(512, 512);
    }

    @Test
    void theRecordedCallsFormFieldsCanBeRead() throws Exception {
        pipeline(TOKEN, PHOTO);

        Recorded call = metahuman.pipelineCalls().get(0);
        assertThat(new String(MetaHumanEmulator.formFields(call).get("token"), StandardCharsets.UTF_8))
                .isEqualTo(TOKEN);
        Part image = MetaHumanEmulator.formParts(call).get("image_bytes");
        assertThat(image.content()).isEqualTo(PHOTO);
        assertThat(image.filename()).isEqualTo("face.jpg");
        assertThat(image.contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void theSamePhotoGivesTheSameBlendShapes() throws Exception {
        JsonNode first = JSON.readTree(pipeline(TOKEN, PHOTO).body()).at("/result/face/blendShapes");
        JsonNode again = JSON.readTree(pipeline(TOKEN, PHOTO).body()).at("/result/face/blendShapes");
        JsonNode other = JSON.readTree(
                        pipeline(TOKEN, TestPhotos.bytes("grace_hopper.jpg")).body())
                .at("/result/face/blendShapes");

        assertThat(again).isEqualTo(first);
        assertThat(other).hasSize(80).isNotEqualTo(first);
    }

    @Test
    void aHeicPhotoIsAccepted() throws Exception {
        HttpResponse<String> response = pipeline(TOKEN, TestPhotos.bytes("astronaut.heic"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestPhotos.read(metahuman.textureOf(JSON.readTree(response.body())))
                        .getWidth())
                .isEqualTo(512);
    }

    @Test
    void documentedErrorsAre422WithCodeAndMessage() throws Exception {
        byte[] tooBig = Arrays.copyOf(PHOTO, 10 * 1024 * 1024 + 1);
        assertError(pipeline("not-registered", PHOTO), 0, "unregistered token");
        assertError(pipeline(null, PHOTO), 0, "unregistered token");
        assertError(pipeline(TOKEN, TestPhotos.bytes("truncated.jpg")), 5, "file corrupted");
        assertError(pipeline(TOKEN, new byte[0]), 6, "empty input image");
        assertError(pipeline(TOKEN, tooBig), 3, "file must be less than 10mb");
        assertThat(metahuman.lastResult()).isNull();
    }

    @Test
    void aBodyThatIsNotMultipartIs422() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(pipelineUrl())
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TOKEN + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).at("/detail/0/loc/1").asText())
                .isEqualTo("image_bytes");
    }

    @Test
    void scriptedCallsFailThenTheNextIsNormal() throws Exception {
        metahuman.nextCall(Script.failWith(4));
        metahuman.nextCall(Script.serverError(502));

        assertError(pipeline(TOKEN, PHOTO), 4, "face not found");
        HttpResponse<String> serverError = pipeline(TOKEN, PHOTO);
        assertThat(serverError.statusCode()).isEqualTo(502);
        assertThat(serverError.headers().firstValue("content-type")).hasValue("text/plain");
        assertThat(pipeline(TOKEN, PHOTO).statusCode()).isEqualTo(200);
    }

    @Test
    void aSlowCallAnswersLate() throws Exception {
        metahuman.nextCall(Script.slow(Duration.ofMillis(300)));
        long start = System.nanoTime();

        assertThat(pipeline(TOKEN, PHOTO).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void anAnswerCanBeCutOffAfterTheReconstructionWasMade() throws Exception {
        metahuman.nextCall(Script.garbledAnswer());

        HttpResponse<String> garbled = pipeline(TOKEN, PHOTO);

        assertThat(garbled.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> JSON.readTree(garbled.body())).isInstanceOf(IOException.class);
        assertThat(metahuman.lastResult()).isNotNull();
        assertThat(metahuman.textureOf(metahuman.lastResult())).isNotEmpty();
    }

    private static void assertError(HttpResponse<String> response, int code, String message) throws Exception {
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("error"))
                .isEqualTo(JSON.createObjectNode().put("code", code).put("message", message));
    }

    private URI pipelineUrl() {
        return metahuman.baseUrl().resolve("/face_recon/run_pipeline");
    }

    /** A multipart call as curl -F would send it; a null token leaves the field out. */
    private HttpResponse<String> pipeline(String token, byte[] image) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String start = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; ";
        if (token != null) {
            body.writeBytes((start + "name=\"token\"\r\n\r\n" + token + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes((start + "name=\"image_bytes\"; filename=\"face.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(pipelineUrl())
                        .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
