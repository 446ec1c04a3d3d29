package app.visage.quotas;

import static app.visage.support.KeyedApi.ACME_KEY;
import static app.visage.support.KeyedApi.GLOBEX_KEY;
import static app.visage.support.KeyedApi.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import app.visage.local.LocalHttpServer;
import app.visage.support.Bucket;
import app.visage.support.KeyedApi;
import app.visage.support.LocalApi;
import app.visage.support.ProviderEmulators;
import app.visage.support.TestPhotos;
import app.visage.support.UploadForms;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant quotas through local mode's public API. Jobs made by POST /v1/uploads stay queued until their photo
 * arrives, so they hold a concurrent-job slot for as long as a test needs.
 */
@QuarkusTest
@TestProfile(TenantQuotasApiTest.Profile.class)
class TenantQuotasApiTest {
    static final String INITECH_KEY = "vsk_initech_00112233445566778899aabbccddee";
    /** A tenant whose own limit (2 concurrent jobs) overrides the default (3). */
    static final String OTHER_KEY = "vsk_hooli_ffeeddccbbaa99887766554433221100";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    LocalHttpServer server;

    @Inject
    Bucket bucket;

    private Response upload(String key) {
        return KeyedApi.as(LocalApi.given(server), key)
                .contentType("application/json")
                .body(Map.of("operation", "head_shot", "content_type", "image/jpeg"))
                .post("/v1/uploads");
    }

    private String admitted(String key) {
        return upload(key).then().statusCode(201).extract().path("job_id");
    }

    private void refused(String key, String retryAfter) {
        upload(key)
                .then()
                .statusCode(429)
                .body("error.code", equalTo("rate_limited"))
                .header("Retry-After", retryAfter);
    }

    @Test
    void racingRequestsAdmitExactlyTheLimitAndAnotherTenantIsServed() throws Exception {
        List<Callable<Integer>> racing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            racing.add(() -> upload(ACME_KEY).then().extract().statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (Future<Integer> answer : pool.invokeAll(racing)) {
                statuses.add(answer.get());
            }
        }
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(7);
        refused(ACME_KEY, "5");

        // Another tenant is unaffected, and a replay of an Idempotency-Key takes no second slot.
        Supplier<String> ticket = () -> KeyedApi.as(LocalApi.given(server), GLOBEX_KEY)
                .header("Idempotency-Key", "quota-replay")
                .contentType("application/json")
                .body(Map.of("operation", "head_shot", "content_type", "image/jpeg"))
                .post("/v1/uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("job_id");
        String first = ticket.get();
        String replayed = ticket.get();
        assertThat(replayed).isEqualTo(first);
        admitted(GLOBEX_KEY);
        JsonPath third = upload(GLOBEX_KEY).then().statusCode(201).extract().jsonPath();
        refused(GLOBEX_KEY, "5");

        // A job that ends frees its slot: a refused upload fails it.
        HttpResponse<String> post = UploadForms.post(third, "not a photo at all".getBytes(StandardCharsets.UTF_8));
        assertThat(post.statusCode()).isEqualTo(204);
        String failed = third.getString("job_id");
        assertThat(LocalApi.awaitEnd(server, failed, GLOBEX_KEY).getString("status"))
                .isEqualTo("failed");
        admitted(GLOBEX_KEY);
        refused(GLOBEX_KEY, "5");
    }

    @Test
    void aCanceledJobFreesItsSlot() {
        String id = admitted(OTHER_KEY);
        admitted(OTHER_KEY);
        refused(OTHER_KEY, "5");
        KeyedApi.as(LocalApi.given(server), OTHER_KEY)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("canceled"));
        admitted(OTHER_KEY);
        refused(OTHER_KEY, "5");
    }

    @Test
    void theDailyLimitCountsCreatedJobsOnlyAndSaysWhenTheDayEnds() {
        List<String> before = bucket.keys("jobs/");
        // Refused for bad input: counts nothing.
        KeyedApi.as(LocalApi.given(server), INITECH_KEY)
                .contentType("application/json")
                .body(Map.of("operation", "no_such_operation"))
                .post("/v1/uploads")
                .then()
                .statusCode(400);
        int unreadable = KeyedApi.as(LocalApi.given(server), INITECH_KEY)
                .contentType("application/json")
                .body(Map.of("operation", "head_shot", "face_image", "data:image/jpeg;base64,bm90IGEgcGhvdG8="))
                .post("/v1/jobs")
                .then()
                .extract()
                .statusCode();
        assertThat(unreadable).isBetween(400, 499).isNotEqualTo(429);
        String one = admitted(INITECH_KEY);
        String two = admitted(INITECH_KEY);
        for (String id : List.of(one, two)) {
            KeyedApi.as(LocalApi.given(server), INITECH_KEY)
                    .post("/v1/jobs/" + id + "/cancel")
                    .then()
                    .statusCode(200);
        }
        List<String> counted = bucket.keys("jobs/");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        long toMidnight = Duration.between(
                        now, LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC))
                .toSeconds();
        String retryAfter = KeyedApi.as(LocalApi.given(server), INITECH_KEY)
                .contentType("application/json")
                .body(Map.of("operation", "head_shot", "face_image", TestPhotos.dataUri("astronaut.jpg", "image/jpeg")))
                .post("/v1/jobs")
                .then()
                .statusCode(429)
                .body("error.code", equalTo("rate_limited"))
                .extract()
                .header("Retry-After");
        assertThat(Long.parseLong(retryAfter)).isBetween(Math.max(1, toMidnight - 60), toMidnight + 2);
        upload(INITECH_KEY).then().statusCode(429).body("error.code", equalTo("rate_limited"));
        assertThat(bucket.keys("jobs/")).hasSize(counted.size()).hasSize(before.size() + 2);
    }

    public static class Profile extends ProviderEmulators.Profile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "visage.auth.api-keys",
                    String.join(
                            ",",
                            "acme=" + sha256Hex(ACME_KEY),
                            "globex=" + sha256Hex(GLOBEX_KEY),
                            "initech=" + sha256Hex(INITECH_KEY),
                            "hooli=" + sha256Hex(OTHER_KEY)),
                    "visage.quotas.max-concurrent-jobs",
                    "3",
                    "visage.quotas.tenants.\"hooli\".max-concurrent-jobs",
                    "2",
                    "visage.quotas.tenants.\"initech\".max-concurrent-jobs",
                    "10",
                    "visage.quotas.tenants.\"initech\".max-jobs-per-day",
                    "2");
        }
    }
}
