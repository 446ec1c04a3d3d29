package app.visage.api;

import static app.visage.support.KeyedApi.ACME_KEY;
import static app.visage.support.KeyedApi.GLOBEX_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.local.LocalHttpServer;
import app.visage.support.KeyedApi;
import app.visage.support.LocalApi;
import app.visage.support.ProviderEmulators;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/jobs, {@code Prefer: wait} and the view's times and place in line, through local mode's HTTP API with two
 * tenants' keys, the local engine and the ModelsLab emulator (at most {@value ProviderEmulators#MODELSLAB_MAX_IN_FLIGHT}
 * jobs in flight).
 */
@QuarkusTest
@TestProfile(KeyedApi.Profile.class)
class JobsListWaitAndViewTest {
    @Inject
    LocalHttpServer server;

    private final ModelsLabEmulator modelslab = ProviderEmulators.modelslab();

    @BeforeEach
    @AfterEach
    void reset() {
        modelslab.reset();
        modelslab.processingTime(Duration.ofMillis(300));
    }

    private RequestSpecification as(String key) {
        return KeyedApi.as(LocalApi.given(server), key);
    }

    private static Map<String, Object> headShot(String provider) {
        Map<String, Object> params = new HashMap<>(Map.of("width", 256, "height", 256));
        if (!provider.equals("local")) {
            params.put("prompt", "studio portrait");
        }
        return LocalApi.jobRequest("head_shot", provider, "astronaut.jpg", Map.of("params", params));
    }

    private String submit(String key, String provider) {
        return LocalApi.submit(as(key), headShot(provider));
    }

    private JsonPath list(String key, Map<String, ?> query) {
        return as(key).queryParams(query)
                .get("/v1/jobs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void pagesThroughATenantsJobsNewestFirstAndNeverShowsAnotherTenants() {
        String since = Instant.now().minusMillis(1).toString();
        List<String> acme = new ArrayList<>();
        List<String> globex = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            acme.add(submit(ACME_KEY, "local"));
            globex.add(submit(GLOBEX_KEY, "local"));
        }

        JsonPath first = list(ACME_KEY, Map.of("limit", 2, "created_after", since));
        JsonPath second =
                list(ACME_KEY, Map.of("limit", 2, "created_after", since, "cursor", first.getString("next_cursor")));

        assertThat(first.getList("data.id", String.class)).containsExactly(acme.get(2), acme.get(1));
        assertThat(first.getString("next_cursor")).isNotBlank();
        assertThat(second.getList("data.id", String.class)).containsExactly(acme.get(0));
        assertThat(second.getString("next_cursor")).isNull();
        assertThat(as(ACME_KEY)
                        .queryParams(
                                Map.of("limit", 2, "created_after", since, "cursor", first.getString("next_cursor")))
                        .get("/v1/jobs")
                        .asString())
                .as("null, not left out")
                .contains("\"next_cursor\":null");
        assertThat(first.getList("data.status", String.class)).containsOnly("succeeded");
        assertThat(first.getString("data[0].outputs[0].url")).contains("/outputs/" + acme.get(2) + "/1.png");
        assertThat(list(GLOBEX_KEY, Map.of("limit", 100, "created_after", since))
                        .getList("data.id", String.class))
                .containsExactly(globex.get(2), globex.get(1), globex.get(0));
        assertThat(list(GLOBEX_KEY, Map.of("limit", 100)).getList("data.id", String.class))
                .doesNotContainAnyElementsOf(acme);
        assertThat(list(ACME_KEY, Map.of("status", "failed", "created_after", since))
                        .getList("data"))
                .isEmpty();
        assertThat(list(ACME_KEY, Map.of("provider", "local", "operation", "head_shot", "created_after", since))
                        .getList("data.id", String.class))
                .containsExactly(acme.get(2), acme.get(1), acme.get(0));
        assertThat(list(
                                ACME_KEY,
                                Map.of("created_after", since, "created_before", first.getString("data[0].created_at")))
                        .getList("data.id", String.class))
                .containsExactly(acme.get(1), acme.get(0));
    }

    @Test
    void badQueryValuesAre400NamingTheParameter() {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("limit", "0");
        bad.put("status", "done");
        bad.put("operation", "face_swap");
        bad.put("provider", "Mode Labs");
        bad.put("created_after", "yesterday");
        bad.put("created_before", "2026-12-04");
        bad.put("cursor", "not-a-cursor");
        bad.put("page", "2");
        bad.forEach((name, value) -> as(ACME_KEY)
                .queryParam(name, value)
                .get("/v1/jobs")
                .then()
                .statusCode(400)
                .body("error.code", org.hamcrest.Matchers.equalTo("invalid_param"))
                .body("error.field", org.hamcrest.Matchers.equalTo(name)));
        as(ACME_KEY).queryParam("limit", "101").get("/v1/jobs").then().statusCode(400);
        LocalApi.given(server).get("/v1/jobs").then().statusCode(401);
    }

    @Test
    void preferWaitAnswersALocalHeadShotWith200AndItsOutputs() {
        Response answer = as(ACME_KEY)
                .contentType("application/json")
                .header("Prefer", "wait=10")
                .body(headShot("local"))
                .post("/v1/jobs");

        answer.then().statusCode(200).header("Preference-Applied", "wait=10");
        JsonPath job = answer.jsonPath();
        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getInt("outputs[0].width")).isEqualTo(256);
        assertThat(LocalApi.outputBytes(job, 0)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(job.getString("completed_at")).isNotNull();
    }

    @Test
    void preferWaitWaitsForAProviderAndAnswers202WhenTheJobOutlastsIt() {
        modelslab.processingTime(Duration.ofMillis(1500));
        Instant before = Instant.now();
        Response waited = as(ACME_KEY)
                .contentType("application/json")
                .header("Prefer", "respond-async, wait=100")
                .body(headShot("modelslab"))
                .post("/v1/jobs");
        waited.then().statusCode(200).header("Preference-Applied", "wait=25");
        assertThat(waited.jsonPath().getString("status")).isEqualTo("succeeded");
        assertThat(Duration.between(before, Instant.now())).isGreaterThan(Duration.ofMillis(1500));

        modelslab.processingTime(Duration.ofSeconds(4));
        Response outlasted = as(ACME_KEY)
                .contentType("application/json")
                .header("Prefer", "wait=1")
                .body(headShot("modelslab"))
                .post("/v1/jobs");
        outlasted.then().statusCode(202).header("Preference-Applied", "wait=1");
        String id = outlasted.jsonPath().getString("id");
        assertThat(LocalApi.awaitEnd(server, id, ACME_KEY).getString("status")).isEqualTo("succeeded");

        Response unasked = as(ACME_KEY)
                .contentType("application/json")
                .body(headShot("local"))
                .post("/v1/jobs");
        unasked.then().statusCode(202);
        assertThat(unasked.getHeader("Preference-Applied")).isNull();
    }

    @Test
    void theViewShowsStartEndAndEachQueuedJobsPlaceInItsProvidersLine() throws InterruptedException {
        modelslab.processingTime(Duration.ofSeconds(3));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ProviderEmulators.MODELSLAB_MAX_IN_FLIGHT + 2; i++) {
            ids.add(submit(ACME_KEY, "modelslab"));
            Thread.sleep(20); // distinct creation times: the line is in creation order
        }
        // Which jobs the worker starts first is not fixed: two of them get the slots, two wait in line.
        Map<String, JsonPath> views = new HashMap<>();
        Instant deadline = Instant.now().plusSeconds(20);
        while (views.values().stream()
                                .filter(v -> v.get("queue_position") != null)
                                .count()
                        < 2
                && Instant.now().isBefore(deadline)) {
            for (String id : ids) {
                views.put(
                        id,
                        as(ACME_KEY)
                                .get("/v1/jobs/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath());
            }
        }
        List<String> waiting = ids.stream()
                .filter(id -> views.get(id).get("queue_position") != null)
                .toList();
        List<String> running = ids.stream().filter(id -> !waiting.contains(id)).toList();
        assertThat(waiting).hasSize(2);
        assertThat(waiting.stream().map(id -> views.get(id).getString("status")))
                .containsOnly("queued");
        assertThat(views.get(waiting.get(0)).getInt("queue_position")).isEqualTo(1);
        assertThat(views.get(waiting.get(1)).getInt("queue_position")).isEqualTo(2);
        assertThat(views.get(waiting.get(0)).getString("started_at")).isNull();
        JsonPath firstRunning = LocalApi.awaitStatus(server, running.get(0), ACME_KEY, "processing");
        assertThat(firstRunning.getString("status")).isEqualTo("processing");
        assertThat(firstRunning.getString("started_at")).isNotNull();
        assertThat(firstRunning.getString("completed_at")).isNull();
        assertThat(firstRunning.getString("queue_position")).isNull();
        String first = running.get(0);
        String third = waiting.get(0);
        String fourth = waiting.get(1);

        JsonPath firstDone = LocalApi.awaitEnd(server, first, ACME_KEY);
        LocalApi.awaitEnd(server, running.get(1), ACME_KEY);
        JsonPath thirdDone = LocalApi.awaitEnd(server, third, ACME_KEY);
        LocalApi.awaitEnd(server, fourth, ACME_KEY);
        assertThat(thirdDone.getString("status")).isEqualTo("succeeded");
        assertThat(thirdDone.getString("queue_position")).isNull();
        Instant created = Instant.parse(thirdDone.getString("created_at"));
        Instant started = Instant.parse(thirdDone.getString("started_at"));
        Instant completed = Instant.parse(thirdDone.getString("completed_at"));
        assertThat(started).isAfter(created).isBefore(completed);
        assertThat(started)
                .as("it started once a slot freed")
                .isAfterOrEqualTo(
                        Instant.parse(firstDone.getString("completed_at")).minusMillis(1));
        assertThat(Duration.between(started, completed)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }
}
