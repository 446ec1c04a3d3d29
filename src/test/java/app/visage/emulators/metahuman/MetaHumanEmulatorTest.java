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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.ImageIO;
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
        assertThat(textureUrl).isEqualTo("/static/face_texture.png");
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
        // "Maximum file size: 10 MB" and "less than 10mb": only what both allow, below 10,000,000 bytes.
        byte[] tooBig = Arrays.copyOf(PHOTO, 10_000_000);
        assertError(pipeline("not-registered", PHOTO), 0, "unregistered token");
        assertError(pipeline(null, PHOTO), 1, "fail authorization");
        assertError(pipeline("", PHOTO), 1, "fail authorization");
        assertError(pipeline(TOKEN, TestPhotos.bytes("truncated.jpg")), 5, "file corrupted");
        assertError(pipeline(TOKEN, new byte[0]), 6, "empty input image");
        assertError(pipeline(TOKEN, tooBig), 3, "file must be less than 10mb");
        assertThat(metahuman.lastResult()).isNull();
    }

    @Test
    void onlyThePagesFormatsAreTakenOthersAreCorrupted() throws Exception {
        BufferedImage photo = TestPhotos.read(PHOTO);
        ByteArrayOutputStream bmp = new ByteArrayOutputStream();
        ImageIO.write(photo, "bmp", bmp);
        // A WebP header (ImageIO has no WebP reader, but the refusal must not hinge on that).
        byte[] webp = "RIFF\u0016\0\0\0WEBPVP8L\u0005\0\0\0/\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);

        assertError(pipeline(TOKEN, bmp.toByteArray(), "face.bmp", "image/bmp"), 5, "file corrupted");
        assertError(pipeline(TOKEN, webp, "face.webp", "image/webp"), 5, "file corrupted");
        assertThat(pipeline(TOKEN, TestPhotos.png(photo), "face.png", "image/png")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void theTextureIsNamedAfterTheUploadSoTheSameNameSharesOne() throws Exception {
        byte[] other = TestPhotos.bytes("grace_hopper.jpg");
        JsonNode a =
                JSON.readTree(pipeline(TOKEN, PHOTO, "job_a.jpg", "image/jpeg").body());
        JsonNode b =
                JSON.readTree(pipeline(TOKEN, other, "job_b.jpg", "image/jpeg").body());

        assertThat(a.at("/result/face/textureUrl").asText()).isEqualTo("/static/job_a_texture.png");
        assertThat(b.at("/result/face/textureUrl").asText()).isEqualTo("/static/job_b_texture.png");
        byte[] textureA = metahuman.textureOf(a);
        assertThat(textureA).isNotEqualTo(metahuman.textureOf(b));

        // The same name again: the later upload's texture replaces the earlier one at the same path.
        JsonNode again =
                JSON.readTree(pipeline(TOKEN, other, "job_a.jpg", "image/jpeg").body());
        assertThat(again.at("/result/face/textureUrl")).isEqualTo(a.at("/result/face/textureUrl"));
        assertThat(metahuman.textureOf(a)).isNotEqualTo(textureA).isEqualTo(metahuman.textureOf(b));
    }

    @Test
    void aFileFieldWithoutAFileNameIsNoFile() throws Exception {
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + TOKEN
                + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image_bytes\"\r\n\r\n"
                + "not a file\r\n--" + BOUNDARY + "--\r\n";
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(pipelineUrl())
                        .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).at("/detail/0/loc/1").asText())
                .isEqualTo("image_bytes");
    }

    @Test
    void aChunkedBodyIsRefusedUnread() throws Exception {
        byte[] body = multipart(TOKEN, PHOTO, "face.jpg", "image/jpeg");
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(pipelineUrl())
                        .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                        // A stream of unknown length goes out chunked.
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(411);
        assertThat(metahuman.pipelineCalls().get(0).header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(metahuman.lastResult()).isNull();
    }

    @Test
    void aCallRecordsItsContentLength() throws Exception {
        pipeline(TOKEN, PHOTO);

        Recorded call = metahuman.pipelineCalls().get(0);
        assertThat(call.header("Content-Length")).isEqualTo(String.valueOf(call.body().length));
    }

    @Test
    void scriptedIncompleteResults() throws Exception {
        metahuman.nextCall(Script.shortBlendShapes());
        metahuman.nextCall(Script.noTexture());
        metahuman.nextCall(Script.emptyResult());

        JsonNode shortShapes = JSON.readTree(pipeline(TOKEN, PHOTO).body());
        assertThat(shortShapes.at("/result/face/blendShapes")).hasSize(79);
        assertThat(shortShapes.at("/result/face/textureUrl").isTextual()).isTrue();
        JsonNode noTexture = JSON.readTree(pipeline(TOKEN, PHOTO).body());
        assertThat(noTexture.at("/result/face").has("textureUrl")).isFalse();
        assertThat(noTexture.at("/result/face/blendShapes")).hasSize(80);
        HttpResponse<String> empty = pipeline(TOKEN, PHOTO);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(empty.body())).isEqualTo(JSON.readTree("{\"result\":{}}"));
        assertThat(JSON.readTree(pipeline(TOKEN, PHOTO).body()).at("/result/face/blendShapes"))
                .hasSize(80);
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
        return pipeline(token, image, "face.jpg", "image/jpeg");
    }

    private HttpResponse<String> pipeline(String token, byte[] image, String filename, String contentType)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(pipelineUrl())
                        .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(token, image, filename, contentType)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] multipart(String token, byte[] image, String filename, String contentType) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String start = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; ";
        if (token != null) {
            body.writeBytes((start + "name=\"token\"\r\n\r\n" + token + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes((start + "name=\"image_bytes\"; filename=\"" + filename + "\"\r\nContent-Type: " + contentType
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }
}
