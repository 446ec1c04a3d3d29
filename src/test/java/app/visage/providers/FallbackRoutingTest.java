package app.visage.providers;

import static app.visage.support.LocalApi.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.metahuman.MetaHumanEmulator;
import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.local.LocalHttpServer;
import app.visage.support.LocalApi;
import app.visage.support.ProviderEmulators;
import app.visage.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request's {@code providers} list against the emulators: a start the first provider refuses before taking
 * the job (nothing charged) goes to the next, the view says which ran and why the others did not, and a
 * provider that took the job is never followed by another.
 */
@QuarkusTest
@TestProfile(ProviderEmulators.Profile.class)
class FallbackRoutingTest {
    @Inject
    LocalHttpServer server;

    private final MetaHumanEmulator metahuman = ProviderEmulators.metahuman();
    private final ModelsLabEmulator modelslab = ProviderEmulators.modelslab();

    @BeforeEach
    void reset() {
        metahuman.reset();
        modelslab.reset();
    }

    private String submit(String operation, List<String> providers, Map<String, Object> params) {
        return LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        operation,
                        "providers",
                        providers,
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
    void aRefusedTokenAtMetaHumanPassesTheReconstructionToTheLocalEngine() {
        metahuman.nextCall(MetaHumanEmulator.Script.failWith(0));

        JsonPath job = awaitEnd(server, submit("face_recon", List.of("metahuman", "local"), Map.of()));

        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("succeeded");
        assertThat(job.getString("provider")).isEqualTo("local");
        assertThat(metahuman.pipelineCalls()).hasSize(1);
        assertThat(job.getList("attempts")).hasSize(1);
        assertThat(job.getString("attempts[0].provider")).isEqualTo("metahuman");
        assertThat(job.getString("attempts[0].outcome")).isEqualTo("refused");
        assertThat(job.getString("attempts[0].provider_code")).isEqualTo("0");
        assertThat(job.getMap("result.face")).containsKeys("box", "blend_shapes");
        assertThat(job.getMap("result.face.box"))
                .as("measured by the local engine")
                .isNotNull();
    }

    @Test
    void aGenerationRefusedForCreditsGoesToTheNextServerListed() {
        modelslab.nextSubmit(ModelsLabEmulator.Script.insufficientCredits());

        JsonPath job = awaitEnd(
                server,
                submit("face_gen", List.of("modelslab", "modelslab-enterprise"), Map.of("prompt", "a portrait")));

        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("succeeded");
        assertThat(job.getString("provider")).isEqualTo("modelslab-enterprise");
        assertThat(job.getString("attempts[0].provider")).isEqualTo("modelslab");
        assertThat(job.getString("attempts[0].outcome")).isEqualTo("refused");
        assertThat(job.getString("attempts[0].provider_code")).isEqualTo("402");
        assertThat(job.getString("provider_job_id")).isNotBlank();
        assertThat(modelslab.generationCalls())
                .extracting(c -> c.path())
                .containsExactly("/api/v6/image_editing/face_gen", "/api/v1/enterprise/image_editing/face_gen");
    }

    @Test
    void aJobTheFirstProviderTookAndThenFailedIsNotSentToTheNext() {
        modelslab.nextSubmit(ModelsLabEmulator.Script.failLater("out of GPU memory"));

        JsonPath job = awaitEnd(
                server,
                submit("face_gen", List.of("modelslab", "modelslab-enterprise"), Map.of("prompt", "a portrait")));

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("provider")).isEqualTo("modelslab");
        assertThat(job.getList("attempts")).isEmpty();
        assertThat(modelslab.generationCalls()).hasSize(1);
    }

    @Test
    void paramsMustSuitEveryProviderListed() {
        String field = LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        "face_gen",
                        "providers",
                        List.of("modelslab", "modelslab-face-gen"),
                        "face_image",
                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                        "params",
                        Map.of("prompt", "a portrait", "style", "anime")))
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath()
                .getString("error.field");

        assertThat(field).as("modelslab-face-gen takes no style").isEqualTo("params.style");
        assertThat(modelslab.generationCalls()).isEmpty();
    }
}
