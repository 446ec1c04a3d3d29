package app.visage.providers;

import static app.visage.support.LocalApi.awaitEnd;
import static app.visage.support.LocalApi.outputBytes;
import static org.assertj.core.api.Assertions.assertThat;
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
        return LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        "face_recon",
                        "provider",
                        "metahuman",
                        "face_image",
                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
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
        Map<String, Part> parts = MetaHumanEmulator.formParts(calls.get(0));
        assertThat(new String(parts.get("token").content(), StandardCharsets.UTF_8))
                .isEqualTo(ProviderEmulators.METAHUMAN_TOKEN);
        assertThat(parts.get("image_bytes").filename()).isNotNull();
        assertThat(parts.get("image_bytes").content()).isEqualTo(PHOTO);

        // Read with Jackson, not JsonPath, which would round the coefficients to floats.
        JsonNode result = view(id).get("result");
        JsonNode answered = metahuman.lastResult().get("result");
        assertThat(doubles(result.get("blend_shapes")))
                .hasSize(80)
                .isEqualTo(doubles(answered.at("/face/blendShapes")));
        assertThat(result.get("blink_correction_coeff").asDouble())
                .isEqualTo(answered.at("/face/blinkCorrectionCoeff").asDouble());
        assertThat(result.at("/hair/color").asText())
                .isEqualTo(answered.at("/hair/color").asText())
                .isNotEmpty();
        assertThat(result.at("/hair/type").asText())
                .isEqualTo(answered.at("/hair/type").asText())
                .isNotEmpty();
        assertThat(result.at("/skin/color").asText())
                .isEqualTo(answered.at("/skin/color").asText())
                .isNotEmpty();
        assertThat(result.get("gender").asText())
                .isEqualTo(answered.get("gender").asText())
                .isNotEmpty();
        assertThat(result.get("accessories")).isEqualTo(answered.get("accessories"));

        assertThat(job.getList("outputs")).hasSize(1);
        assertThat(job.getString("outputs[0].content_type")).isEqualTo("image/png");
        assertThat(outputBytes(job, 0)).isEqualTo(metahuman.textureOf(metahuman.lastResult()));
        assertThat(job.getString("outputs[0].url"))
                .doesNotContain(metahuman.baseUrl().toString());
        assertThat(bucket.keys("outputs/" + id + "/"))
                .containsExactlyInAnyOrder("outputs/" + id + "/1.png", "outputs/" + id + "/result.json");
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
