package app.visage.providers;

import static app.visage.support.LocalApi.awaitEnd;
import static app.visage.support.LocalApi.outputBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import app.visage.emulators.EmulatorServer.Recorded;
import app.visage.emulators.metahuman.MetaHumanEmulator;
import app.visage.emulators.metahuman.MetaHumanEmulator.Part;
import app.visage.emulators.metahuman.MetaHumanEmulator.Script;
import app.visage.json.Json;
import app.visage.local.LocalHttpServer;
import app.visage.support.Bucket;
import app.visage.support.LocalApi;
import app.visage.support.ProviderEmulators;
import app.visage.support.TestPhotos;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MetaHuman SDK's face reconstruction driven through local mode's public API, against its emulator. */
@QuarkusTest
@TestProfile(ProviderEmulators.Profile.class)
class MetaHumanJobsTest {
    private static final byte[] PHOTO = TestPhotos.bytes("astronaut.jpg");

    @Inject
    LocalHttpServer server;

    @Inject
    Bucket bucket;

    private final MetaHumanEmulator metahuman = ProviderEmulators.metahuman();

    @BeforeEach
    void reset() {
        metahuman.reset();
    }

    private String submit(Map<String, Object> params) {
        return submit(params, "astronaut.jpg");
    }

    private String submit(Map<String, Object> params, String photo) {
        return LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        "face_recon",
                        "provider",
                        "metahuman",
                        "face_image",
                        TestPhotos.dataUri(photo, "image/jpeg"),
                        "params",
                        params))
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    @Test
    void aReconstructionGivesItsModelAsTheResultAndItsTextureAsTheOutput() {
        String id = submit(Map.of());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        List<Recorded> calls = metahuman.pipelineCalls();
        assertThat(calls).hasSize(1);
        // Sent whole, with its length: a server that reads bodies by length only answers a chunked one 411.
        assertThat(calls.get(0).header("Transfer-Encoding")).isNull();
        assertThat(calls.get(0).header("Content-Length"))
                .isEqualTo(String.valueOf(calls.get(0).body().length));
        assertThat(calls.get(0).header("Content-Type")).startsWith("multipart/form-data; boundary=");
        Map<String, Part> parts = MetaHumanEmulator.formParts(calls.get(0));
        assertThat(parts.keySet()).containsExactly("token", "image_bytes");
        assertThat(new String(parts.get("token").content(), StandardCharsets.UTF_8))
                .isEqualTo(ProviderEmulators.METAHUMAN_TOKEN);
        assertThat(parts.get("image_bytes").filename()).isEqualTo(id + ".jpg");
        assertThat(parts.get("image_bytes").contentType()).isEqualTo("image/jpeg");
        assertThat(parts.get("image_bytes").content()).isEqualTo(PHOTO);

        // Read with Jackson, not JsonPath, which would round the coefficients to floats.
        JsonNode result = view(id).get("result");
        JsonNode answered = metahuman.lastResult().get("result");
        assertThat(doubles(result.at("/face/blend_shapes")))
                .hasSize(80)
                .isEqualTo(doubles(answered.at("/face/blendShapes")));
        assertThat(result.at("/face/blink_correction_coeff").asDouble())
                .isEqualTo(answered.at("/face/blinkCorrectionCoeff").asDouble());
        assertThat(result.at("/hair/color").asText())
                .isEqualTo(answered.at("/hair/color").asText())
                .matches("#[0-9a-f]{6}");
        assertThat(result.at("/hair/type").asText())
                .isEqualTo(answered.at("/hair/type").asText())
                .isNotEmpty();
        assertThat(result.at("/skin/color").asText())
                .isEqualTo(answered.at("/skin/color").asText())
                .matches("#[0-9a-f]{6}");
        assertThat(result.get("gender").asText())
                .isEqualTo(answered.get("gender").asText())
                .isNotEmpty();
        assertThat(result.get("accessories")).isEqualTo(answered.get("accessories"));
        // What MetaHuman does not tell is there, as null.
        for (String unknown :
                List.of("/skin/confidence", "/hair/confidence", "/face/box", "/face/keypoints", "/face/score")) {
            assertThat(result.at(unknown).isNull()).as(unknown).isTrue();
        }

        assertThat(answered.at("/face/textureUrl").asText()).isEqualTo("/static/" + id + "_texture.png");
        assertThat(job.getList("outputs")).hasSize(1);
        assertThat(job.getString("outputs[0].content_type")).isEqualTo("image/png");
        assertThat(outputBytes(job, 0)).isEqualTo(metahuman.textureOf(metahuman.lastResult()));
        assertThat(job.getString("outputs[0].url"))
                .doesNotContain(metahuman.baseUrl().toString());
        assertThat(bucket.keys("outputs/" + id + "/"))
                .containsExactlyInAnyOrder("outputs/" + id + "/1.png", "outputs/" + id + "/result.json");
    }

    @Test
    void faceReconHasOneShapeOnLocalAndOnMetaHuman() {
        String onMetaHuman = submit(Map.of());
        String onLocal = LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        "face_recon",
                        "provider",
                        "local",
                        "face_image",
                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg")))
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertThat(awaitEnd(server, onMetaHuman).getString("status")).isEqualTo("succeeded");
        assertThat(awaitEnd(server, onLocal).getString("status")).isEqualTo("succeeded");

        JsonNode metahumanResult = view(onMetaHuman).get("result");
        JsonNode localResult = view(onLocal).get("result");
        assertSameKeys("result", localResult, metahumanResult);
        assertThat(fieldNames(localResult)).containsExactly("skin", "hair", "gender", "accessories", "face");
        assertThat(fieldNames(localResult.get("face")))
                .containsExactly("blend_shapes", "blink_correction_coeff", "box", "keypoints", "score");
        // Each fills what it can tell: the engine its measurements, MetaHuman its model.
        assertThat(localResult.at("/face/box").isObject()).isTrue();
        assertThat(localResult.at("/skin/color").asText()).matches("#[0-9a-f]{6}");
        assertThat(localResult.at("/face/blend_shapes").isNull()).isTrue();
        assertThat(metahumanResult.at("/face/box").isNull()).isTrue();
        assertThat(metahumanResult.at("/face/blend_shapes")).hasSize(80);
    }

    @Test
    void aResultWith79BlendShapesFailsTheJob() {
        metahuman.nextCall(Script.shortBlendShapes());

        assertIncomplete(submit(Map.of()), "face.blendShapes (80 numbers, not 79)");
    }

    @Test
    void aResultWithoutItsTextureFailsTheJob() {
        metahuman.nextCall(Script.noTexture());

        assertIncomplete(submit(Map.of()), "face.textureUrl");
    }

    @Test
    void anEmptyResultFailsTheJobNamingWhatWasMissing() {
        metahuman.nextCall(Script.emptyResult());

        String id = submit(Map.of());

        assertIncomplete(id, "face.blendShapes");
        String message = awaitEnd(server, id).getString("error.message");
        for (String field : List.of(
                "face.textureUrl",
                "face.blinkCorrectionCoeff",
                "hair.color",
                "hair.type",
                "skin.color",
                "gender",
                "accessories")) {
            assertThat(message).contains(field);
        }
    }

    @Test
    void concurrentJobsUploadUnderTheirOwnNamesAndGetTheirOwnTextures() throws Exception {
        List<String> ids = List.of(submit(Map.of()), submit(Map.of(), "grace_hopper.jpg"));

        List<JsonPath> jobs = ids.stream().map(id -> awaitEnd(server, id)).toList();

        List<String> names = metahuman.pipelineCalls().stream()
                .map(call ->
                        MetaHumanEmulator.formParts(call).get("image_bytes").filename())
                .toList();
        assertThat(names).containsExactlyInAnyOrder(ids.get(0) + ".jpg", ids.get(1) + ".jpg");
        byte[][] textures = new byte[2][];
        for (int i = 0; i < 2; i++) {
            assertThat(jobs.get(i).getString("status")).isEqualTo("succeeded");
            textures[i] = metahuman.file("/static/" + ids.get(i) + "_texture.png");
            assertThat(outputBytes(jobs.get(i), 0)).isEqualTo(textures[i]);
        }
        assertThat(textures[0]).isNotEqualTo(textures[1]);
    }

    @Test
    void aWebpPhotoIsRefusedAtSubmitWithNothingLeftBehind() {
        List<String> before = bucket.keys();
        byte[] webp = "RIFF\u0016\0\0\0WEBPVP8L\u0005\0\0\0/\u00ff\u00c1\u007f\0".getBytes(StandardCharsets.ISO_8859_1);

        LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        "face_recon",
                        "provider",
                        "metahuman",
                        "face_image",
                        "data:image/webp;base64," + Base64.getEncoder().encodeToString(webp)))
                .post("/v1/jobs")
                .then()
                .statusCode(415)
                .body("error.code", equalTo("unsupported_media_type"))
                .body("error.message", containsString("image/jpeg, image/png, image/heic"))
                .body("error.field", equalTo("face_image"));

        LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of("operation", "face_recon", "provider", "metahuman", "content_type", "image/webp"))
                .post("/v1/uploads")
                .then()
                .statusCode(415)
                .body("error.code", equalTo("unsupported_media_type"))
                .body("error.field", equalTo("content_type"));

        assertThat(bucket.keys()).isEqualTo(before);
        assertThat(metahuman.pipelineCalls()).isEmpty();
    }

    @Test
    void documentedErrorCodesAreMappedAndKeptAsTheProviderCode() {
        Map<Integer, String> expected = Map.of(
                0,
                "provider_error",
                1,
                "provider_error",
                3,
                "image_too_large",
                4,
                "face_not_found",
                5,
                "image_unreadable",
                6,
                "image_unreadable");
        // One at a time: scripts go to pipeline calls in order.
        expected.forEach((code, visageCode) -> {
            metahuman.nextCall(Script.failWith(code));
            String id = submit(Map.of());

            JsonPath job = awaitEnd(server, id);

            assertThat(job.getString("status")).as("code %d", code).isEqualTo("failed");
            assertThat(job.getString("error.code")).as("code %d", code).isEqualTo(visageCode);
            assertThat(job.getString("error.provider_code")).as("code %d", code).isEqualTo(String.valueOf(code));
            assertThat(bucket.keys("outputs/" + id + "/")).as("code %d", code).isEmpty();
        });
        assertThat(metahuman.pipelineCalls()).hasSize(expected.size());
    }

    @Test
    void aServerErrorIsRetried() {
        metahuman.nextCall(Script.serverError(502));
        String id = submit(Map.of());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(metahuman.pipelineCalls()).hasSize(2);
        assertThat(outputBytes(job, 0)).isEqualTo(metahuman.textureOf(metahuman.lastResult()));
    }

    @Test
    void anAnswerLaterThanTheTimeoutFailsTheJobAndThePhotoIsNeverSentAgain() throws InterruptedException {
        JsonNode before = metahuman.lastResult();
        // Beyond the profile's 2 s provider timeout.
        metahuman.nextCall(Script.slow(Duration.ofSeconds(3)));
        String id = submit(Map.of());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("provider_timeout");
        assertThat(metahuman.pipelineCalls()).hasSize(1);
        // The emulator still answers (and, for real, charges) the call: wait for it so that its late
        // result does not stand in for another test's.
        for (int i = 0; i < 100 && metahuman.lastResult() == before; i++) {
            Thread.sleep(50);
        }
        assertThat(metahuman.lastResult()).isNotSameAs(before);
        assertThat(metahuman.pipelineCalls()).hasSize(1);
    }

    @Test
    void paramsAreRefusedBeforeAnythingIsSent() {
        LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        "face_recon",
                        "provider",
                        "metahuman",
                        "face_image",
                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                        "params",
                        Map.of("prompt", "a face")))
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_param"))
                .body("error.field", equalTo("params.prompt"));
        assertThat(metahuman.pipelineCalls()).isEmpty();
    }

    /** The job failed provider_error naming {@code missing}, and nothing was copied. */
    private void assertIncomplete(String id, String missing) {
        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("provider_error");
        assertThat(job.getString("error.message")).contains(missing);
        assertThat(job.getList("outputs")).isEmpty();
        assertThat(bucket.keys("outputs/" + id + "/")).isEmpty();
        assertThat(metahuman.pipelineCalls())
                .as("a synchronous call that may have been charged")
                .hasSize(1);
    }

    private static void assertSameKeys(String path, JsonNode a, JsonNode b) {
        assertThat(fieldNames(a)).as(path).isEqualTo(fieldNames(b));
        for (String name : fieldNames(a)) {
            if (a.get(name).isObject() && b.get(name).isObject()) {
                assertSameKeys(path + "." + name, a.get(name), b.get(name));
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        assertThat(node.isObject()).isTrue();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private JsonNode view(String id) {
        try {
            return Json.MAPPER.readTree(LocalApi.given(server)
                    .get("/v1/jobs/" + id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Double> doubles(JsonNode array) {
        assertThat(array.isArray()).isTrue();
        assertThat(array).allMatch(JsonNode::isNumber);
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::doubleValue)
                .toList();
    }
}
