package app.visage.providers;

import static app.visage.support.Await.await;
import static app.visage.support.LocalApi.awaitEnd;
import static app.visage.support.LocalApi.outputBytes;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.EmulatorServer.Recorded;
import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.emulators.modelslab.ModelsLabEmulator.Script;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.port.Provider;
import app.visage.json.Json;
import app.visage.local.LocalHttpServer;
import app.visage.providers.modelslab.ModelsLabEnterprise;
import app.visage.providers.modelslab.ModelsLabFaceGen;
import app.visage.providers.modelslab.ModelsLabShared;
import app.visage.support.Bucket;
import app.visage.support.LocalApi;
import app.visage.support.MetadataPhotos;
import app.visage.support.ProviderEmulators;
import app.visage.support.TestPhotos;
import com.drew.metadata.exif.GpsDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The three ModelsLab servers driven through local mode's public API, against the ModelsLab emulator. */
@QuarkusTest
@TestProfile(ProviderEmulators.Profile.class)
class ModelsLabJobsTest {
    @Inject
    LocalHttpServer server;

    @Inject
    Bucket bucket;

    @Inject
    ModelsLabShared shared;

    @Inject
    ModelsLabEnterprise enterprise;

    @Inject
    ModelsLabFaceGen faceGen;

    private final ModelsLabEmulator modelslab = ProviderEmulators.modelslab();

    @BeforeEach
    void reset() {
        modelslab.reset();
        modelslab.processingTime(Duration.ofMillis(300));
        modelslab.retryAfterSeconds(1);
    }

    private String submit(String provider, String operation, Map<String, Object> params) {
        return submit(provider, operation, params, TestPhotos.dataUri("astronaut.jpg", "image/jpeg"));
    }

    private String submit(String provider, String operation, Map<String, Object> params, String faceImage) {
        return LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of("operation", operation, "provider", provider, "face_image", faceImage, "params", params))
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private static Map<String, Object> headShot() {
        return new HashMap<>(
                Map.of("prompt", "studio portrait", "width", 384, "height", 512, "num_inference_steps", 31));
    }

    @Test
    void headShotMeetsA429ThenIsFinishedByADuplicatedWebhook() {
        modelslab.nextSubmit(Script.rateLimited());
        modelslab.nextSubmit(Script.duplicateWebhook());
        String id = submit("modelslab", "head_shot", headShot());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        List<Recorded> calls = modelslab.generationCalls();
        assertThat(calls).hasSize(2).allSatisfy(c -> assertThat(c.path()).isEqualTo("/api/v6/image_editing/head_shot"));
        JsonNode sent = calls.get(1).json();
        assertThat(sent.get("key").asText()).isEqualTo(ProviderEmulators.MODELSLAB_KEY);
        assertThat(sent.get("width").isInt()).isTrue();
        assertThat(sent.get("width").asInt()).isEqualTo(384);
        assertThat(sent.get("height").isInt()).isTrue();
        assertThat(sent.get("num_inference_steps").isInt()).isTrue();
        assertThat(sent.get("num_inference_steps").asInt()).isEqualTo(31);
        assertThat(sent.get("track_id").isIntegralNumber()).isTrue();
        // v6 requires only key, prompt and face_image: nothing else the caller left out is sent
        assertThat(sent.has("base64")).isFalse();
        assertThat(sent.has("safety_checker")).isFalse();
        assertThat(sent.get("webhook").asText()).contains("/v1/provider-webhooks/modelslab/" + id + "?token=");
        assertThat(sent.get("face_image").asText()).startsWith("http://127.0.0.1:");
        assertThat(sent.has("return_base64")).isFalse();
        assertThat(modelslab.deliveries())
                .hasSize(2)
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(200));
        assertOutputsAreTheProvidersBytes(job, id, "png");
        assertSentWhole(modelslab.requests());
    }

    @Test
    void headShotWhoseWebhookNeverComesIsFinishedByPolling() {
        modelslab.nextSubmit(Script.dropWebhook());
        String id = submit("modelslab", "head_shot", headShot());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(modelslab.deliveries()).isEmpty();
        assertThat(modelslab.fetchCalls()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.path()).startsWith("/api/v6/image_editing/fetch/");
            assertThat(c.json().get("key").asText()).isEqualTo(ProviderEmulators.MODELSLAB_KEY);
        });
        assertSentWhole(modelslab.fetchCalls());
        assertOutputsAreTheProvidersBytes(job, id, "png");
        // a fetch answer says nothing of the safety checker: no result
        assertThat(job.getMap("result")).isNull();
    }

    @Test
    void aWebhookThatArrivesBeforeTheSubmitAnswerFinishesTheJobOnce() {
        modelslab.nextSubmit(Script.webhookBeforeResponse());
        String id = submit("modelslab", "face_gen", Map.of("prompt", "anime hero", "style", "anime"));

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(modelslab.deliveries())
                .hasSize(1)
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(200));
        assertThat(modelslab.generationCalls()).hasSize(1);
        assertOutputsAreTheProvidersBytes(job, id, "png");
    }

    @Test
    void anEarlyWebhookIsCheckedWithTheProviderAndChangesNothing() throws Exception {
        modelslab.processingTime(Duration.ofSeconds(2));
        modelslab.nextSubmit(Script.earlyWebhook());
        String id = submit("modelslab", "head_shot", headShot());

        awaitDeliveries(1);
        JsonPath early =
                LocalApi.given(server).get("/v1/jobs/" + id).then().extract().jsonPath();
        assertThat(early.getString("status")).isEqualTo("processing");
        assertThat(early.getList("outputs")).isEmpty();
        assertThat(early.getInt("eta_seconds")).isBetween(0, 2);

        JsonPath job = awaitEnd(server, id);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertOutputsAreTheProvidersBytes(job, id, "png");
    }

    @Test
    void aStartCallThatTimesOutIsNeverSentAgainAndItsWebhookStillFinishesTheJob() {
        modelslab.nextSubmit(Script.slow(Duration.ofSeconds(3)));
        String id = submit("modelslab", "head_shot", headShot());

        // The worker's start call times out; the job is taken as started, never sent again.
        await(
                "the job taken as started",
                () -> "processing"
                        .equals(LocalApi.given(server)
                                .get("/v1/jobs/" + id)
                                .then()
                                .extract()
                                .path("status")));
        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(modelslab.generationCalls()).hasSize(1);
        assertOutputsAreTheProvidersBytes(job, id, "png");
    }

    @Test
    void errorBodiesInHttp200AreProviderErrorsWithTheProvidersMessage() {
        modelslab.nextSubmit(Script.errorBody("Face not detected in the image"));
        modelslab.nextSubmit(Script.legacyErrorBody("Invalid prompt"));
        JsonPath first = awaitEnd(server, submit("modelslab", "head_shot", headShot()));
        JsonPath second = awaitEnd(server, submit("modelslab", "head_shot", headShot()));

        assertThat(first.getString("status")).isEqualTo("failed");
        assertThat(first.getString("error.code")).isEqualTo("provider_error");
        assertThat(first.getString("error.message")).contains("Face not detected in the image");
        assertThat(first.getString("error.provider_code")).isEqualTo("error");
        assertThat(second.getString("error.message")).contains("Invalid prompt");
        assertThat(modelslab.generationCalls()).hasSize(2);
    }

    @Test
    void aFailureReportedLaterIsConfirmedAndRecorded() {
        modelslab.nextSubmit(Script.failLater("GPU out of memory"));
        JsonPath job = awaitEnd(server, submit("modelslab", "head_shot", headShot()));

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("provider_error");
        assertThat(job.getString("error.message")).contains("GPU out of memory");
        assertThat(modelslab.fetchCalls()).isNotEmpty();
    }

    @Test
    void serverErrorsAreRetriedAFewTimesThenTheJobFails() {
        modelslab.nextSubmit(Script.serverError(503));
        String recovered = submit("modelslab", "head_shot", headShot());
        assertThat(awaitEnd(server, recovered).getString("status")).isEqualTo("succeeded");
        assertThat(modelslab.generationCalls()).hasSize(2);

        modelslab.reset();
        modelslab.processingTime(Duration.ofMillis(300));
        for (int i = 0; i < 6; i++) {
            modelslab.nextSubmit(Script.serverError(500));
        }
        JsonPath failed = awaitEnd(server, submit("modelslab", "head_shot", headShot()));
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getString("error.code")).isEqualTo("provider_error");
        assertThat(failed.getString("error.provider_code")).isEqualTo("500");
        assertThat(modelslab.generationCalls()).hasSize(4);
    }

    @Test
    void failedFetchesAreRetried() {
        modelslab.nextSubmit(Script.dropWebhook());
        modelslab.failNextFetches(2, 500);
        JsonPath job = awaitEnd(server, submit("modelslab", "head_shot", headShot()));

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(modelslab.fetchCalls()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void theEnterpriseServersGetTheirOwnPathsKeysAndRequiredFields() {
        String headShot = submit("modelslab-enterprise", "head_shot", Map.of("prompt", "portrait", "seed", 7));
        String faceGen = submit("modelslab-enterprise", "face_gen", Map.of("prompt", "comic hero", "style", "comic"));
        String makeGen = submit("modelslab-face-gen", "face_gen", Map.of("prompt", "portrait", "samples", 2));

        for (String id : List.of(headShot, faceGen, makeGen)) {
            assertThat(awaitEnd(server, id).getString("status")).isEqualTo("succeeded");
        }
        Map<String, JsonNode> byPath = new HashMap<>();
        modelslab.generationCalls().forEach(c -> byPath.put(c.path(), c.json()));
        JsonNode enterpriseHeadShot = byPath.get("/api/v1/enterprise/image_editing/head_shot");
        assertThat(enterpriseHeadShot.get("key").asText()).isEqualTo(ProviderEmulators.ENTERPRISE_KEY);
        assertThat(enterpriseHeadShot.get("track_id").isTextual()).isTrue();
        assertThat(enterpriseHeadShot.get("seed").asLong()).isEqualTo(7);
        assertThat(enterpriseHeadShot.get("negative_prompt").asText()).isEqualTo("blurry, low quality, distorted");
        assertThat(enterpriseHeadShot.get("guidance_scale").asDouble()).isEqualTo(7.5);
        assertThat(enterpriseHeadShot.has("width")).isFalse();
        JsonNode enterpriseFaceGen = byPath.get("/api/v1/enterprise/image_editing/face_gen");
        assertThat(enterpriseFaceGen.get("style").asText()).isEqualTo("comic");
        assertThat(enterpriseFaceGen.get("width").asInt()).isEqualTo(512);
        assertThat(enterpriseFaceGen.get("height").asInt()).isEqualTo(512); // the square photo's ratio
        assertThat(enterpriseFaceGen.get("num_inference_steps").asInt()).isEqualTo(21);
        // the page marks it required and gives no default: its example's false, not true
        assertThat(enterpriseFaceGen.get("safety_checker").asBoolean()).isFalse();
        assertThat(enterpriseFaceGen.get("safety_checker_type").asText()).isEqualTo("sensitive_content_text");
        assertThat(enterpriseFaceGen.get("base64").isBoolean()).isTrue();
        assertThat(enterpriseFaceGen.get("track_id").isTextual()).isTrue();
        assertThat(enterpriseFaceGen.get("webhook").asText()).contains("/v1/provider-webhooks/modelslab-enterprise/");
        JsonNode sentMakeGen = byPath.get("/api/v1/enterprise/face_gen/make_gen");
        assertThat(sentMakeGen.get("key").asText()).isEqualTo(ProviderEmulators.FACE_GEN_KEY);
        assertThat(sentMakeGen.get("seed").isIntegralNumber()).isTrue();
        assertThat(sentMakeGen.get("safety_checker").isBoolean()).isTrue();
        assertThat(sentMakeGen.get("safety_checker").asBoolean()).isFalse();
        assertThat(sentMakeGen.get("s_scale").isNumber()).isTrue();
        assertThat(sentMakeGen.has("guidance_scale")).isFalse();
        assertThat(sentMakeGen.has("base64")).isFalse();
        assertThat(modelslab.fetchCalls()).noneMatch(c -> c.path().startsWith("/api/v6/"));

        JsonPath twoSamples = awaitEnd(server, makeGen);
        assertThat(twoSamples.getList("outputs")).hasSize(2);
        assertThat(bucket.keys("outputs/" + makeGen + "/"))
                .containsExactly("outputs/" + makeGen + "/1.png", "outputs/" + makeGen + "/2.png");
    }

    @Test
    void paramsAreCheckedAgainstTheChosenServerBeforeAnythingIsSent() {
        record Case(String provider, String operation, Map<String, Object> params, String field) {}
        List<Case> cases = List.of(
                new Case("modelslab", "head_shot", Map.of("prompt", "p", "width", 600), "params.width"),
                new Case(
                        "modelslab",
                        "head_shot",
                        Map.of("prompt", "p", "num_inference_steps", 30),
                        "params.num_inference_steps"),
                new Case("modelslab", "head_shot", Map.of("prompt", "p", "style", "anime"), "params.style"),
                new Case("modelslab", "head_shot", Map.of("prompt", "p", "aspect_ratio", "1:1"), "params.aspect_ratio"),
                new Case("modelslab", "head_shot", Map.of("prompt", "p", "samples", 3), "params.samples"),
                new Case("modelslab", "face_gen", Map.of("width", 512), "params.prompt"),
                new Case("modelslab-enterprise", "head_shot", Map.of("prompt", "p", "width", 512), "params.width"),
                new Case("modelslab-face-gen", "head_shot", Map.of("prompt", "p"), "operation"),
                new Case("modelslab-face-gen", "face_gen", Map.of("prompt", "p", "style", "3d"), "params.style"),
                // v6 head_shot's OpenAPI: guidance_scale an integer 1-5
                new Case(
                        "modelslab",
                        "head_shot",
                        Map.of("prompt", "p", "guidance_scale", 7.5),
                        "params.guidance_scale"),
                new Case("modelslab", "head_shot", Map.of("prompt", "p", "guidance_scale", 6), "params.guidance_scale"),
                new Case(
                        "modelslab", "face_gen", Map.of("prompt", "p", "guidance_scale", 21), "params.guidance_scale"));
        for (Case c : cases) {
            LocalApi.given(server)
                    .contentType("application/json")
                    .body(Map.of(
                            "operation",
                            c.operation(),
                            "provider",
                            c.provider(),
                            "face_image",
                            TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                            "params",
                            c.params()))
                    .post("/v1/jobs")
                    .then()
                    .statusCode(400)
                    .body("error.code", org.hamcrest.Matchers.equalTo("invalid_param"))
                    .body("error.field", org.hamcrest.Matchers.equalTo(c.field()));
        }
        assertThat(modelslab.generationCalls()).isEmpty();
    }

    @Test
    void atMostMaxInFlightJobsAreAtTheProviderAndTheRestWaitQueued() {
        modelslab.queueLimit(ProviderEmulators.MODELSLAB_MAX_IN_FLIGHT);
        assertThat(modelslab.inFlight(ProviderEmulators.MODELSLAB_KEY)).isZero();
        modelslab.processingTime(Duration.ofMillis(800));
        List<CompletableFuture<String>> submits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submits.add(CompletableFuture.supplyAsync(() -> submit("modelslab", "head_shot", headShot())));
        }
        List<String> ids = submits.stream().map(CompletableFuture::join).toList();

        for (String id : ids) {
            assertThat(awaitEnd(server, id).getString("status")).isEqualTo("succeeded");
        }
        // The emulator answers 429 past its queue limit: one call per job means Visage never exceeded it.
        assertThat(modelslab.generationCalls()).hasSize(5);
    }

    @Test
    void aJobTheProviderNeverFinishesFailsAtTheDeadline() {
        modelslab.processingTime(Duration.ofSeconds(60));
        modelslab.nextSubmit(Script.dropWebhook());
        // The enterprise server has its own queue, so the job left running there blocks no other test.
        JsonPath job = awaitEnd(server, submit("modelslab-enterprise", "head_shot", Map.of("prompt", "portrait")));

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("provider_timeout");
    }

    @Test
    void outputsAreStoredWithoutTheMetadataTheProviderLeftInThem() {
        byte[] jpeg = MetadataPhotos.jpegWithEverything(); // EXIF with GPS and Orientation 6, XMP, IPTC...
        byte[] png = MetadataPhotos.beforeFirstIdat(
                TestPhotos.png(TestPhotos.image("astronaut.jpg")),
                MetadataPhotos.textChunk("Comment", "taken at " + MetadataPhotos.POSITION));
        assertThat(MetadataPhotos.metadata(jpeg).getFirstDirectoryOfType(GpsDirectory.class))
                .isNotNull();
        assertThat(MetadataPhotos.tags(png)).contains(MetadataPhotos.POSITION);
        modelslab.serveNextOutputs(List.of(jpeg, png));
        Map<String, Object> params = headShot();
        params.put("samples", 2);
        String id = submit("modelslab", "head_shot", params);

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(bucket.keys("outputs/" + id + "/"))
                .containsExactly("outputs/" + id + "/1.jpg", "outputs/" + id + "/2.png");
        byte[] storedJpeg = bucket.bytes("outputs/" + id + "/1.jpg");
        String jpegTags = MetadataPhotos.tags(storedJpeg);
        assertThat(jpegTags)
                .doesNotContain("GPS")
                .doesNotContain("XMP")
                .doesNotContain("IPTC")
                .doesNotContain(MetadataPhotos.AUTHOR)
                .contains("Orientation");
        // Still shown upright: the orientation was kept, so the view's size is the turned one.
        assertThat(job.getInt("outputs[0].width")).isEqualTo(512);
        assertThat(job.getInt("outputs[0].height")).isEqualTo(600);
        assertThat(job.getInt("outputs[0].bytes")).isEqualTo(storedJpeg.length);
        assertThat(TestPhotos.meanDifference(TestPhotos.read(storedJpeg), TestPhotos.read(jpeg)))
                .isZero();
        assertThat(outputBytes(job, 0)).isEqualTo(storedJpeg);

        byte[] storedPng = bucket.bytes("outputs/" + id + "/2.png");
        assertThat(MetadataPhotos.chunkTypes(storedPng)).doesNotContain("tEXt");
        assertThat(MetadataPhotos.tags(storedPng)).doesNotContain(MetadataPhotos.POSITION);
        assertThat(TestPhotos.meanDifference(TestPhotos.read(storedPng), TestPhotos.read(png)))
                .isZero();
        assertThat(outputBytes(job, 1)).isEqualTo(storedPng);
    }

    @Test
    void anImmediateSuccessWhoseOutputsReachTheCdnLateSucceeds() {
        modelslab.nextSubmit(Script.outputsLate(Duration.ofSeconds(4)));
        String id = submit("modelslab", "head_shot", headShot());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(modelslab.generationCalls()).hasSize(1);
        // the download failed at first; the answer was kept with the job's id, and its outputs downloaded again
        assertThat(modelslab.requests("/generations/").stream()
                        .filter(r -> r.method().equals("GET"))
                        .toList())
                .as("downloads of its output")
                .hasSizeGreaterThanOrEqualTo(2);
        assertOutputsAreTheProvidersBytes(job, id, "png");
        // neither the immediate answer (no checker fields sent, none echoed) nor the fetch said anything of it
        assertThat(job.getMap("result")).isNull();
    }

    @Test
    void aSuccessWithoutOutputsIsAskedAgainUntilItHasThem() {
        modelslab.nextSubmit(Script.successWithoutOutputs());
        String id = submit("modelslab", "head_shot", headShot());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(modelslab.fetchCalls()).isNotEmpty();
        assertOutputsAreTheProvidersBytes(job, id, "png");
    }

    @Test
    void anImageTheSafetyCheckerReplacedIsContentModeration() {
        modelslab.nextSubmit(Script.nsfwDetected());
        Map<String, Object> params = headShot();
        params.put("safety_checker", true);
        params.put("safety_checker_type", "blur");
        String id = submit("modelslab", "head_shot", params);

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("content_moderation");
        assertThat(job.getString("error.message")).contains("blur");
        assertThat(job.getList("outputs")).isEmpty();
        assertThat(bucket.keys("outputs/" + id + "/")).isEmpty();
    }

    @Test
    void whatTheSafetyCheckerSaidIsShownWithTheOutputs() {
        modelslab.nextSubmit(Script.nsfwDetected());
        Map<String, Object> params = headShot();
        params.put("safety_checker", false);
        String id = submit("modelslab", "head_shot", params);

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getBoolean("result.safety_checker.enabled")).isFalse();
        assertThat(job.getString("result.safety_checker.type")).isNull();
        assertThat(job.getBoolean("result.safety_checker.nsfw_content_detected"))
                .isTrue();
        assertOutputsAreTheProvidersBytes(job, id, "png");
    }

    @Test
    void withoutWidthAndHeightALargePhotoIsSentAtItsAspectRatioWithin512By768() {
        String bigPhoto = jpegDataUri(1200, 1800);
        String v6 = submit("modelslab", "head_shot", Map.of("prompt", "portrait"), bigPhoto);
        String oneSide = submit("modelslab", "face_gen", Map.of("prompt", "portrait", "width", 256), bigPhoto);
        String enterprise = submit("modelslab-enterprise", "face_gen", Map.of("prompt", "portrait"), bigPhoto);
        String makeGen = submit("modelslab-face-gen", "face_gen", Map.of("prompt", "portrait"), bigPhoto);

        for (String id : List.of(v6, oneSide, enterprise, makeGen)) {
            JsonPath job = awaitEnd(server, id);
            assertThat(job.getString("status")).isEqualTo("succeeded");
            assertThat(job.getInt("outputs[0].width")).isLessThanOrEqualTo(512);
            assertThat(job.getInt("outputs[0].height")).isLessThanOrEqualTo(768);
        }
        Map<String, JsonNode> byPath = new HashMap<>();
        modelslab.generationCalls().forEach(c -> byPath.put(c.path(), c.json()));
        assertThat(size(byPath.get("/api/v6/image_editing/head_shot"))).containsExactly(512, 768);
        assertThat(size(byPath.get("/api/v6/image_editing/face_gen"))).containsExactly(256, 384);
        assertThat(size(byPath.get("/api/v1/enterprise/image_editing/face_gen")))
                .containsExactly(512, 768);
        assertThat(size(byPath.get("/api/v1/enterprise/face_gen/make_gen"))).containsExactly(512, 768);
    }

    @Test
    void guidanceScaleIsSentAsEachEndpointsSchemaTypesIt() {
        Map<String, Object> headShot = headShot();
        headShot.put("guidance_scale", 3);
        String integer = submit("modelslab", "head_shot", headShot);
        String number = submit("modelslab", "face_gen", Map.of("prompt", "portrait", "guidance_scale", 7.5));
        for (String id : List.of(integer, number)) {
            assertThat(awaitEnd(server, id).getString("status")).isEqualTo("succeeded");
        }
        Map<String, JsonNode> byPath = new HashMap<>();
        modelslab.generationCalls().forEach(c -> byPath.put(c.path(), c.json()));
        JsonNode sentHeadShot = byPath.get("/api/v6/image_editing/head_shot").get("guidance_scale");
        assertThat(sentHeadShot.isIntegralNumber()).isTrue();
        assertThat(sentHeadShot.asInt()).isEqualTo(3);
        JsonNode sentFaceGen = byPath.get("/api/v6/image_editing/face_gen").get("guidance_scale");
        assertThat(sentFaceGen.isFloatingPointNumber()).isTrue();
        assertThat(sentFaceGen.asDouble()).isEqualTo(7.5);
    }

    /** Needs the job core: the view's {@code seed} (from Pending.seed / Finished.seed) is the core's to show. */
    @Test
    void theSeedUsedIsShownOnTheJob() {
        String picked = submit("modelslab-face-gen", "face_gen", Map.of("prompt", "portrait"));
        String given = submit("modelslab", "head_shot", Map.of("prompt", "portrait", "seed", 4242));

        JsonPath pickedJob = awaitEnd(server, picked);
        JsonPath givenJob = awaitEnd(server, given);

        long sent = modelslab.generationCalls().stream()
                .filter(c -> c.path().endsWith("/make_gen"))
                .findFirst()
                .orElseThrow()
                .json()
                .get("seed")
                .asLong();
        assertThat(pickedJob.getLong("seed")).isEqualTo(sent);
        assertThat(givenJob.getLong("seed")).isEqualTo(4242);
    }

    @Test
    void withoutAWebhookUrlOnlyTheEnterprisePagesGetAWebhookFieldNullAndTheSeedSentIsRecorded() throws Exception {
        byte[] photo = TestPhotos.bytes("astronaut.jpg");
        HttpServer photos = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        photos.createContext("/face.jpg", exchange -> {
            exchange.sendResponseHeaders(200, photo.length);
            exchange.getResponseBody().write(photo);
            exchange.close();
        });
        photos.start();
        try {
            URI photoUrl = URI.create("http://127.0.0.1:" + photos.getAddress().getPort() + "/face.jpg");
            ProviderOutcome v6 = shared.start(call(shared, Operation.HEAD_SHOT, photoUrl, "{\"prompt\":\"p\"}"));
            ProviderOutcome ent =
                    enterprise.start(call(enterprise, Operation.HEAD_SHOT, photoUrl, "{\"prompt\":\"p\"}"));
            ProviderOutcome gen = faceGen.start(call(faceGen, Operation.FACE_GEN, photoUrl, "{\"prompt\":\"p\"}"));

            Map<String, JsonNode> byPath = new HashMap<>();
            modelslab.generationCalls().forEach(c -> byPath.put(c.path(), c.json()));
            JsonNode sentV6 = byPath.get("/api/v6/image_editing/head_shot");
            assertThat(sentV6.has("webhook")).isFalse();
            assertThat(sentV6.has("track_id")).isFalse();
            JsonNode sentEnterprise = byPath.get("/api/v1/enterprise/image_editing/head_shot");
            assertThat(sentEnterprise.has("webhook")).isTrue();
            assertThat(sentEnterprise.get("webhook").isNull()).isTrue();
            assertThat(sentEnterprise.get("track_id").isTextual()).isTrue();
            JsonNode sentMakeGen = byPath.get("/api/v1/enterprise/face_gen/make_gen");
            assertThat(sentMakeGen.has("webhook")).isFalse();
            assertThat(sentMakeGen.has("track_id")).isFalse();

            assertThat(v6).isInstanceOf(ProviderOutcome.Pending.class);
            // v6 was sent no seed: the one its answer's meta names is the one it uses
            assertThat(sentV6.has("seed")).isFalse();
            assertThat(((ProviderOutcome.Pending) v6).seed()).isNotNull();
            assertThat(((ProviderOutcome.Pending) ent).seed())
                    .isEqualTo(sentEnterprise.get("seed").asLong());
            assertThat(((ProviderOutcome.Pending) gen).seed())
                    .isEqualTo(sentMakeGen.get("seed").asLong());
            assertSentWhole(modelslab.generationCalls());
        } finally {
            photos.stop(0);
        }
    }

    private static Provider.ProviderCall call(Provider provider, Operation operation, URI photoUrl, String params)
            throws Exception {
        return new Provider.ProviderCall(
                JobId.random(),
                operation,
                Params.validate(
                        Json.MAPPER.readTree(params), provider.operations().get(operation), provider.id(), operation),
                () -> {
                    throw new AssertionError("ModelsLab fetches the photo itself");
                },
                photoUrl,
                512,
                512,
                null);
    }

    private static List<Integer> size(JsonNode sent) {
        return List.of(sent.get("width").asInt(), sent.get("height").asInt());
    }

    private static String jpegDataUri(int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(TestPhotos.image("astronaut.jpg"), 0, 0, width, height, null);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "jpg", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Every request went out whole, with its Content-Length: none chunked (the emulator answers those 411). */
    private static void assertSentWhole(List<Recorded> requests) {
        assertThat(requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.header("transfer-encoding")).isNull();
            if (r.method().equals("POST")) {
                assertThat(r.header("content-length")).isEqualTo(String.valueOf(r.body().length));
            }
        });
    }

    private void assertOutputsAreTheProvidersBytes(JsonPath job, String id, String extension) {
        List<byte[]> produced = modelslab.outputsFor(id);
        assertThat(produced).isNotEmpty();
        assertThat(job.getList("outputs")).hasSize(produced.size());
        for (int i = 0; i < produced.size(); i++) {
            assertThat(outputBytes(job, i)).isEqualTo(produced.get(i));
            assertThat(job.getString("outputs[" + i + "].url"))
                    .doesNotContain(modelslab.baseUrl().toString());
        }
        assertThat(bucket.keys("outputs/" + id + "/")).contains("outputs/" + id + "/1." + extension);
    }

    private void awaitDeliveries(int n) throws InterruptedException {
        for (int i = 0; i < 100 && modelslab.deliveries().size() < n; i++) {
            Thread.sleep(50);
        }
        assertThat(modelslab.deliveries()).hasSizeGreaterThanOrEqualTo(n);
    }
}
