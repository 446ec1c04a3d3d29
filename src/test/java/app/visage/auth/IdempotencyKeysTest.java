package app.visage.auth;

import static app.visage.support.Await.await;
import static app.visage.support.KeyedApi.ACME_KEY;
import static app.visage.support.KeyedApi.GLOBEX_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import app.visage.emulators.EmulatorServer.Recorded;
import app.visage.emulators.fashn.FashnEmulator;
import app.visage.local.LocalHttpServer;
import app.visage.support.Bucket;
import app.visage.support.KeyedApi;
import app.visage.support.LocalApi;
import app.visage.support.ProviderEmulators;
import app.visage.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on POST /v1/jobs and /v1/uploads through local mode's public API, against the FASHN emulator. */
@QuarkusTest
@TestProfile(KeyedApi.Profile.class)
class IdempotencyKeysTest {
    @Inject
    LocalHttpServer server;

    @Inject
    Bucket bucket;

    private final FashnEmulator fashn = ProviderEmulators.fashn();

    @BeforeEach
    void slowProvider() {
        fashn.reset();
        fashn.processingTime(Duration.ofMillis(300));
    }

    private RequestSpecification as(String tenantKey, String idempotencyKey) {
        return KeyedApi.as(LocalApi.given(server), tenantKey).header("Idempotency-Key", idempotencyKey);
    }

    private static Map<String, Object> job(String prompt) {
        return Map.of(
                "operation",
                "face_to_model",
                "provider",
                "fashn",
                "face_image",
                TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                "params",
                Map.of("prompt", prompt));
    }

    private Response post(String tenantKey, String key, Map<String, Object> body) {
        return as(tenantKey, key).contentType("application/json").body(body).post("/v1/jobs");
    }

    private List<Recorded> runCallsFor(String id) {
        return fashn.runCalls().stream()
                .filter(c -> c.queryParam("webhook_url").contains(id))
                .toList();
    }

    @Test
    void theSameKeyAndBodyTwiceIsOneJobAndOneProviderCall() {
        String key = UUID.randomUUID().toString();
        Response first = post(ACME_KEY, key, job("standing"));
        first.then().statusCode(202);
        Response second = post(ACME_KEY, key, job("standing"));

        second.then().statusCode(202).header("idempotent-replayed", "true");
        assertThat(second.asString()).isEqualTo(first.asString());
        assertThat(first.getHeader("idempotent-replayed")).isNull();
        String id = first.path("id");
        assertThat(bucket.keys("jobs/").stream().filter(k -> k.contains(id))).hasSize(1);
        await("the worker's start call", () -> !runCallsFor(id).isEmpty());
        assertThat(runCallsFor(id)).hasSize(1);
        assertThat(bucket.keys("idempotency/")).isNotEmpty().allMatch(k -> !k.contains(key));
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflict() {
        String key = UUID.randomUUID().toString();
        String id = post(ACME_KEY, key, job("standing"))
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        int jobs = bucket.keys("jobs/").size();

        post(ACME_KEY, key, job("sitting"))
                .then()
                .statusCode(409)
                .body("error.code", equalTo("idempotency_conflict"))
                .body("error.field", equalTo("Idempotency-Key"));
        as(ACME_KEY, key)
                .contentType("application/json")
                .body(Map.of("operation", "head_shot"))
                .post("/v1/uploads")
                .then()
                .statusCode(409)
                .body("error.code", equalTo("idempotency_conflict"));
        assertThat(bucket.keys("jobs/")).hasSize(jobs);
        assertThat(runCallsFor(id)).hasSize(1);
    }

    @Test
    void racingRequestsWithOneKeyMakeOneJob() throws Exception {
        String key = UUID.randomUUID().toString();
        int racers = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return post(ACME_KEY, key, job("racing"));
            }));
        }
        start.countDown();
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<Response> answer : answers) {
            Response response = answer.get();
            assertThat(response.statusCode()).isEqualTo(202);
            ids.add(response.path("id"));
        }
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(runCallsFor(ids.get(0))).hasSize(1);
        assertThat(bucket.keys("jobs/").stream().filter(k -> k.contains(ids.get(0))))
                .hasSize(1);
    }

    @Test
    void keysAreScopedPerTenant() {
        String key = UUID.randomUUID().toString();
        String acme = post(ACME_KEY, key, job("standing"))
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String globex = post(GLOBEX_KEY, key, job("standing"))
                .then()
                .statusCode(202)
                .header("idempotent-replayed", (String) null)
                .extract()
                .path("id");
        assertThat(globex).isNotEqualTo(acme);
        KeyedApi.as(LocalApi.given(server), GLOBEX_KEY)
                .get("/v1/jobs/" + globex)
                .then()
                .statusCode(200);
    }

    @Test
    void aRefusedRequestKeepsNothingSoTheKeyCanBeUsedAgain() {
        String key = UUID.randomUUID().toString();
        post(
                        ACME_KEY,
                        key,
                        Map.of(
                                "operation",
                                "face_to_model",
                                "provider",
                                "fashn",
                                "face_image",
                                TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                                "params",
                                Map.of("prompt", 7)))
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_param"));
        String id = post(ACME_KEY, key, job("standing"))
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        post(ACME_KEY, key, job("standing")).then().statusCode(202).body("id", equalTo(id));
    }

    @Test
    void aMultipartRetryWithANewBoundaryIsTheSameRequest() {
        String key = UUID.randomUUID().toString();
        byte[] photo = TestPhotos.bytes("astronaut.jpg");
        String request =
                "{\"operation\":\"face_to_model\",\"provider\":\"fashn\",\"params\":{\"prompt\":\"standing\"}}";
        String first = as(ACME_KEY, key)
                .multiPart("face_image", "face.jpg", photo, "image/jpeg")
                .multiPart("request", request, "application/json")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        // REST Assured picks a new random boundary for every request.
        String second = as(ACME_KEY, key)
                .multiPart("face_image", "face.jpg", photo, "image/jpeg")
                .multiPart("request", request, "application/json")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .header("idempotent-replayed", "true")
                .extract()
                .path("id");
        assertThat(second).isEqualTo(first);
        await("the worker's start call", () -> !runCallsFor(first).isEmpty());
        assertThat(runCallsFor(first)).hasSize(1);
    }

    @Test
    void anUploadRetriedWithItsKeyGetsTheSameJobAndUrl() {
        String key = UUID.randomUUID().toString();
        Response first = as(ACME_KEY, key)
                .contentType("application/json")
                .body(Map.of("operation", "head_shot"))
                .post("/v1/uploads");
        first.then().statusCode(201);
        Response second = as(ACME_KEY, key)
                .contentType("application/json")
                .body(Map.of("operation", "head_shot"))
                .post("/v1/uploads");
        second.then().statusCode(201);
        assertThat((String) second.path("job_id")).isEqualTo(first.path("job_id"));
        assertThat((String) second.path("upload_url")).isEqualTo(first.path("upload_url"));
        assertThat((String) second.path("upload_fields.key"))
                .isEqualTo(first.path("upload_fields.key"))
                .startsWith("uploads/" + first.path("job_id") + "/");
    }

    @Test
    void aKeyThatIsNotPrintableAsciiIsRefused() {
        post(ACME_KEY, "x".repeat(256), job("standing"))
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_request"))
                .body("error.field", equalTo("Idempotency-Key"));
    }
}
