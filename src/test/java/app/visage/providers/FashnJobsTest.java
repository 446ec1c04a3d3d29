package app.visage.providers;

import static app.visage.support.LocalApi.awaitEnd;
import static app.visage.support.LocalApi.outputBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import app.visage.config.VisageConfig;
import app.visage.emulators.EmulatorServer.Recorded;
import app.visage.emulators.fashn.FashnEmulator;
import app.visage.emulators.fashn.FashnEmulator.Script;
import app.visage.images.ImageInspector;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.port.Provider;
import app.visage.local.LocalHttpServer;
import app.visage.providers.fashn.FashnProvider;
import app.visage.support.Bucket;
import app.visage.support.LocalApi;
import app.visage.support.MetadataPhotos;
import app.visage.support.ProviderEmulators;
import app.visage.support.TestPhotos;
import com.drew.metadata.exif.GpsDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FASHN's face-to-model driven through local mode's public API, against the FASHN emulator. */
@QuarkusTest
@TestProfile(ProviderEmulators.Profile.class)
class FashnJobsTest {
    private static final byte[] PHOTO = TestPhotos.bytes("astronaut.jpg");

    @Inject
    LocalHttpServer server;

    @Inject
    Bucket bucket;

    @Inject
    VisageConfig config;

    @Inject
    FashnProvider provider;

    private final FashnEmulator fashn = ProviderEmulators.fashn();

    @BeforeEach
    void reset() {
        fashn.reset();
        fashn.processingTime(Duration.ofMillis(300));
        fashn.webhookRetryDelay(Duration.ofMillis(100));
    }

    private String submit(Map<String, Object> params) {
        return LocalApi.submit(server, fashnJob("astronaut.jpg", params));
    }

    /** A face_to_model job of the JPEG test photo {@code photo} for fashn. */
    private static Map<String, Object> fashnJob(String photo, Map<String, Object> params) {
        return LocalApi.jobRequest("face_to_model", "fashn", photo, Map.of("params", params));
    }

    private static Map<String, Object> portrait() {
        return new HashMap<>(
                Map.of("prompt", "standing, casual clothes", "aspect_ratio", "4:5", "output_format", "png", "seed", 7));
    }

    /** The run calls made for one Visage job (its id is in the webhook URL). */
    private List<Recorded> runCallsFor(String id) {
        return fashn.runCalls().stream()
                .filter(c -> c.queryParam("webhook_url").contains(id))
                .toList();
    }

    @Test
    void aJobSucceedsByItsWebhookWithTheDocumentedRequest() {
        String id = submit(portrait());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        List<Recorded> calls = fashn.runCalls();
        assertThat(calls).hasSize(1);
        Recorded call = calls.get(0);
        assertThat(call.header("Authorization")).isEqualTo("Bearer " + ProviderEmulators.FASHN_KEY);
        // The body goes with its length, not chunked: a server that reads bodies by Content-Length gets all of it.
        assertThat(call.header("Transfer-Encoding")).isNull();
        assertThat(call.header("Content-Length")).isEqualTo(String.valueOf(call.body().length));
        assertThat(call.header("Content-Type")).startsWith("application/json");
        JsonNode sent = call.json();
        assertThat(sent.get("model_name").asText()).isEqualTo("face-to-model");
        JsonNode inputs = sent.get("inputs");
        String face = inputs.get("face_image").asText();
        assertThat(face).startsWith("data:image/jpeg;base64,");
        assertThat(Base64.getDecoder().decode(face.substring(face.indexOf(',') + 1)))
                .isEqualTo(PHOTO);
        assertThat(inputs.get("prompt").asText()).isEqualTo("standing, casual clothes");
        assertThat(inputs.get("aspect_ratio").asText()).isEqualTo("4:5");
        assertThat(inputs.get("output_format").asText()).isEqualTo("png");
        assertThat(inputs.get("seed").isIntegralNumber()).isTrue();
        assertThat(inputs.get("seed").asLong()).isEqualTo(7);
        assertThat(inputs.has("return_base64")).isFalse();
        // The query parameter decodes to Visage's own webhook URL, and the token in it was accepted.
        String webhook = call.queryParam("webhook_url");
        assertThat(webhook)
                .matches(Pattern.quote(config.publicBaseUrl() + "/v1/provider-webhooks/fashn/" + id + "?token=")
                        + "[A-Za-z0-9_-]{43}");
        assertThat(fashn.deliveries()).hasSize(1).allSatisfy(d -> {
            assertThat(d.url()).isEqualTo(webhook);
            assertThat(d.status()).isEqualTo(200);
        });
        assertOutputIsTheProvidersBytes(job, id);
        assertThat(job.getString("outputs[0].content_type")).isEqualTo("image/png");
        assertThat(job.getInt("outputs[0].width")).isEqualTo(512);
        assertThat(job.getInt("outputs[0].height")).isEqualTo(640);
    }

    @Test
    void returnBase64GivesADataUriAndStillKeepsTheObject() {
        Map<String, Object> params = portrait();
        params.put("return_base64", true);
        String id = submit(params);

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(fashn.runCalls().get(0).json().at("/inputs/return_base64").asBoolean())
                .isTrue();
        assertThat(job.getString("outputs[0].url")).startsWith("data:image/png;base64,");
        assertOutputIsTheProvidersBytes(job, id);
    }

    @Test
    void aJobWhoseWebhookNeverComesIsFinishedByPolling() {
        fashn.nextRun(Script.dropWebhook());
        String id = submit(portrait());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(fashn.deliveries()).isEmpty();
        assertThat(fashn.statusCalls())
                .isNotEmpty()
                .allSatisfy(
                        c -> assertThat(c.header("Authorization")).isEqualTo("Bearer " + ProviderEmulators.FASHN_KEY));
        assertOutputIsTheProvidersBytes(job, id);
    }

    @Test
    void aWebhookThatArrivesBeforeTheRunAnswerFinishesTheJobOnce() {
        fashn.nextRun(Script.webhookBeforeResponse());
        String id = submit(portrait());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(fashn.deliveries())
                .hasSize(1)
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(200));
        assertThat(fashn.runCalls()).hasSize(1);
        assertOutputIsTheProvidersBytes(job, id);
    }

    @Test
    void rateAndConcurrencyLimitsAreWaitedOutAndTheJobsRetried() {
        fashn.nextRun(Script.rateLimited());
        fashn.nextRun(Script.concurrencyLimited());
        // Both jobs wait out the same default retry delay (FASHN sends no Retry-After), so they run side by side.
        List<String> ids = List.of(
                        CompletableFuture.supplyAsync(() -> submit(portrait())),
                        CompletableFuture.supplyAsync(() -> submit(portrait())))
                .stream()
                .map(CompletableFuture::join)
                .toList();

        for (String id : ids) {
            assertThat(awaitEnd(server, id).getString("status")).isEqualTo("succeeded");
            assertThat(runCallsFor(id)).hasSize(2);
        }
        assertThat(fashn.runCalls()).hasSize(4);
    }

    @Test
    void runningOutOfCreditsFailsTheJobWithoutRetrying() {
        fashn.nextRun(Script.outOfCredits());
        String id = submit(portrait());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("provider_error");
        assertThat(job.getString("error.provider_code")).isEqualTo("OutOfCredits");
        assertThat(fashn.runCalls()).hasSize(1);
    }

    @Test
    void runtimeFailuresFashnDoesNotSayToRetryAreMappedByTheirName() {
        Map<String, String> expected = Map.of(
                "ContentModerationError",
                "content_moderation",
                "ImageLoadError",
                "image_unreadable",
                "SomeErrorFashnNeverDocumented",
                "provider_error");
        // One at a time: scripts go to run calls in order.
        expected.forEach((name, code) -> {
            fashn.nextRun(Script.failWith(name, "scripted " + name));
            String id = submit(portrait());

            JsonPath job = awaitEnd(server, id);

            assertThat(job.getString("status")).as(name).isEqualTo("failed");
            assertThat(job.getString("error.code")).as(name).isEqualTo(code);
            assertThat(job.getString("error.provider_code")).as(name).isEqualTo(name);
            assertThat(job.getString("error.message")).as(name).contains("scripted " + name);
            // FASHN's support asks for the prediction id: the message names it.
            assertThat(job.getString("error.message")).as(name).contains(predictionIdOf(id));
            assertThat(job.getList("outputs")).as(name).isEmpty();
            assertThat(bucket.keys("outputs/" + id + "/")).as(name).isEmpty();
        });
        assertThat(fashn.runCalls()).hasSize(3);
    }

    @Test
    void aCompletedPredictionWithoutAnOutputFailsTheJob() {
        List<Script> empty =
                List.of(Script.completeWithEmptyOutput(), Script.completeWithNullOutput(), Script.failWithoutError());
        for (Script script : empty) {
            fashn.nextRun(script);
            String id = submit(portrait());

            JsonPath job = awaitEnd(server, id);

            assertThat(job.getString("status")).isEqualTo("failed");
            assertThat(job.getString("error.code")).isEqualTo("provider_error");
            assertThat(job.getString("error.message")).contains(predictionIdOf(id));
            assertThat(job.getList("outputs")).isEmpty();
            assertThat(runCallsFor(id)).hasSize(1);
        }
        assertThat(fashn.runCalls()).hasSize(3);
    }

    @Test
    void anEmptyCompletedSaysSo() {
        fashn.nextRun(Script.completeWithEmptyOutput());
        String id = submit(portrait());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("error.message")).startsWith("FASHN completed the prediction without an output");
    }

    /** A PipelineError run is run again; the view keeps the failed run's prediction id in {@code attempts}. */
    @Test
    void aPipelineErrorRunsTheJobAgainAndTheNextPredictionSucceeds() {
        fashn.failNextRuns(1, "PipelineError");
        String id = submit(portrait());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        List<Recorded> calls = runCallsFor(id);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).json()).isEqualTo(calls.get(0).json());
        List<String> predictions = fashn.predictionIdsFor(id);
        assertThat(predictions).hasSize(2).doesNotHaveDuplicates();
        // The view keeps every prediction id (FASHN's support asks for the failed one's).
        assertThat(job.getString("provider_job_id")).isEqualTo(predictions.get(1));
        assertThat(job.getList("attempts"))
                .as("the runs that ended without being the last")
                .hasSize(1);
        assertThat(job.getString("attempts[0].provider")).isEqualTo("fashn");
        assertThat(job.getString("attempts[0].provider_job_id")).isEqualTo(predictions.get(0));
        assertThat(job.getString("attempts[0].outcome")).isEqualTo("run_again");
        assertThat(job.getString("attempts[0].provider_code")).isEqualTo("PipelineError");
        assertThat(job.getString("attempts[0].message")).contains(predictions.get(0));
        assertOutputIsTheProvidersBytes(job, id);
    }

    /** The same for the third-party failures FASHN says to retry. */
    @Test
    void thirdPartyErrorsRunTheJobAgain() {
        fashn.failNextRuns(1, "ThirdPartyError");
        fashn.failNextRuns(1, "3rdPartyProviderError");
        String id = submit(portrait());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(runCallsFor(id)).hasSize(3);
    }

    @Test
    void withoutAWebhookUrlNoWebhookParameterIsSent() throws InterruptedException {
        ProviderOutcome outcome = provider.start(new Provider.ProviderCall(
                JobId.random(),
                Operation.FACE_TO_MODEL,
                Params.validate(
                        JsonNodeFactory.instance.objectNode().put("seed", 9),
                        provider.operations().get(Operation.FACE_TO_MODEL),
                        "fashn",
                        Operation.FACE_TO_MODEL),
                () -> new Photo(PHOTO, new ImageInspector().inspect(PHOTO)),
                null,
                0,
                0,
                null));

        assertThat(outcome).isInstanceOf(ProviderOutcome.Pending.class);
        assertThat(((ProviderOutcome.Pending) outcome).seed()).isEqualTo(9L);
        Recorded call = fashn.runCalls().getLast();
        assertThat(call.query()).isNull();
        assertThat(call.queryParam("webhook_url")).isNull();
        assertThat(call.json().get("inputs").properties())
                .extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("face_image", "seed");
        String predictionId = ((ProviderOutcome.Pending) outcome).providerJobId();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        ProviderOutcome fetched = provider.fetch(predictionId);
        while (fetched instanceof ProviderOutcome.Pending && System.nanoTime() < deadline) {
            Thread.sleep(50);
            fetched = provider.fetch(predictionId);
        }
        assertThat(fetched).isInstanceOf(ProviderOutcome.Finished.class);
        assertThat(((ProviderOutcome.Finished) fetched).providerJobId()).isEqualTo(predictionId);
        assertThat(fashn.deliveries()).isEmpty();
    }

    @Test
    void aServerErrorIsRetried() {
        fashn.nextRun(Script.serverError());
        String id = submit(portrait());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(fashn.runCalls()).hasSize(2);
        assertOutputIsTheProvidersBytes(job, id);
    }

    @Test
    void failedStatusCallsAreRetried() {
        fashn.nextRun(Script.dropWebhook());
        fashn.failNextStatusCalls(2, 500);
        String id = submit(portrait());

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(fashn.statusCalls()).hasSizeGreaterThanOrEqualTo(3);
        assertOutputIsTheProvidersBytes(job, id);
    }

    @Test
    void paramsFashnDoesNotTakeAreRefusedBeforeAnythingIsSent() {
        Map<String, Object> refused = Map.of("width", 512, "style", "anime", "num_inference_steps", 31, "samples", 1);
        refused.forEach((name, value) -> {
            Map<String, Object> params = portrait();
            params.put(name, value);
            LocalApi.given(server)
                    .contentType("application/json")
                    .body(fashnJob("astronaut.jpg", params))
                    .post("/v1/jobs")
                    .then()
                    .statusCode(400)
                    .body("error.code", equalTo("invalid_param"))
                    .body("error.field", equalTo("params." + name));
        });
        assertThat(fashn.runCalls()).isEmpty();
    }

    @Test
    void thePhotoFashnGetsHasNoGpsButIsShownTheSameWay() {
        byte[] photo = TestPhotos.bytes("grace_hopper_exif6.jpg"); // EXIF: Orientation 6 and a GPS position
        String id = LocalApi.submit(server, fashnJob("grace_hopper_exif6.jpg", portrait()));

        JsonPath job = awaitEnd(server, id);

        assertThat(job.getString("status")).isEqualTo("succeeded");
        String face = runCallsFor(id).get(0).json().at("/inputs/face_image").asText();
        byte[] sent = Base64.getDecoder().decode(face.substring(face.indexOf(',') + 1));
        assertThat(MetadataPhotos.metadata(photo).getFirstDirectoryOfType(GpsDirectory.class))
                .isNotNull();
        assertThat(MetadataPhotos.metadata(sent).getFirstDirectoryOfType(GpsDirectory.class))
                .isNull();
        assertThat(new ImageInspector().inspect(sent)).isEqualTo(new ImageInspector().inspect(photo));
        assertThat(TestPhotos.meanDifference(TestPhotos.read(sent), TestPhotos.read(photo)))
                .isZero();
        assertThat(bucket.bytes("inputs/" + id + "/face.jpg")).isEqualTo(sent);
    }

    /** The id FASHN gave the only prediction made for a Visage job. */
    private String predictionIdOf(String id) {
        assertThat(fashn.predictionIdsFor(id)).hasSize(1);
        return fashn.predictionIdsFor(id).get(0);
    }

    private void assertOutputIsTheProvidersBytes(JsonPath job, String id) {
        List<byte[]> produced = fashn.outputsFor(id);
        assertThat(produced).hasSize(1);
        assertThat(job.getList("outputs")).hasSize(1);
        assertThat(outputBytes(job, 0)).isEqualTo(produced.get(0));
        assertThat(job.getString("outputs[0].url"))
                .doesNotContain(fashn.baseUrl().toString())
                .doesNotContain(fashn.cdnUrl().toString());
        assertThat(bucket.keys("outputs/" + id + "/")).containsExactly("outputs/" + id + "/1.png");
    }
}
