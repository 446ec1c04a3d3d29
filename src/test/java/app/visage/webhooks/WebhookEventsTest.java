package app.visage.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.JobId;
import app.visage.jobs.usecase.JobRecords;
import app.visage.json.Json;
import app.visage.local.LocalHttpServer;
import app.visage.support.Bucket;
import app.visage.support.DueWork;
import app.visage.support.LocalApi;
import app.visage.support.TestClock;
import app.visage.support.TestPhotos;
import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a business runs on, through local mode's HTTP API and the real work queue: the events a job's
 * {@code webhook_events_filter} chose, each its own signed message, in order; a replay of the last one; the
 * receiver's {@code Retry-After}. A loopback receiver (private addresses allowed in this profile) takes them.
 */
@QuarkusTest
@TestProfile(ClientWebhooksTest.WithSecret.class)
class WebhookEventsTest {
    @Inject
    LocalHttpServer server;

    @Inject
    DueWork dueWork;

    @Inject
    JobRecords records;

    @Inject
    Bucket bucket;

    @Inject
    TestClock clock;

    private Receiver receiver;

    @BeforeEach
    void receive() throws IOException {
        dueWork.purge(); // no delivery an earlier test left may reach this test's receiver
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        clock.reset();
    }

    private RequestSpecification api() {
        return LocalApi.given(server);
    }

    private Map<String, Object> headShot(Object filter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", "head_shot");
        body.put("face_image", TestPhotos.dataUri("astronaut.jpg", "image/jpeg"));
        body.put("webhook", receiver.url().toString());
        if (filter != null) {
            body.put("webhook_events_filter", filter);
        }
        return body;
    }

    private String submit(Object filter) {
        return api().contentType("application/json")
                .body(headShot(filter))
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private List<String> typesReceived() {
        return receiver.received.stream().map(WebhookEventsTest::type).toList();
    }

    private static String type(Receiver.Delivery delivery) {
        return body(delivery).get("type").asText();
    }

    private static JsonNode body(Receiver.Delivery delivery) {
        try {
            return Json.MAPPER.readTree(delivery.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<ClientWebhook> deliveries(String id) {
        return records.find(JobId.of(id)).orElseThrow().clientWebhooks();
    }

    private io.restassured.response.ValidatableResponse retry(String id) {
        return api().post("/v1/jobs/" + id + "/webhook/retry").then();
    }

    @Test
    void everyEventChosenArrivesInOrderEachItsOwnSignedMessage() throws Exception {
        String id = submit(List.of("completed", "output", "started"));

        dueWork.run();

        assertThat(typesReceived()).containsExactly("job.started", "job.output", "job.succeeded");
        assertThat(receiver.received)
                .extracting(d -> d.header("webhook-id"))
                .containsExactly("msg_" + id + "_started", "msg_" + id + "_output", "msg_" + id);
        for (Receiver.Delivery delivery : receiver.received) {
            new Webhook(ClientWebhooksTest.SECRET).verify(delivery.body(), delivery.headers());
            assertThat(body(delivery).get("data").get("id").asText()).isEqualTo(id);
        }
        assertThat(body(receiver.received.get(1)).get("data").get("outputs")).hasSize(1);
        assertThat(records.find(JobId.of(id)).orElseThrow().webhookAttempts())
                .extracting(s -> s.type() + " " + s.attempt().status())
                .containsExactly("job.started 200", "job.output 200", "job.succeeded 200");
    }

    @Test
    void onlyTheEventsChosenArrive() {
        submit(List.of("started"));
        dueWork.run();
        assertThat(typesReceived()).containsExactly("job.started");

        submit(List.of("output", "completed"));
        dueWork.run();
        assertThat(typesReceived()).containsExactly("job.started", "job.output", "job.succeeded");

        submit(null);
        dueWork.run();
        assertThat(typesReceived())
                .as("the end only, without a filter")
                .containsExactly("job.started", "job.output", "job.succeeded", "job.succeeded");
    }

    @Test
    void anEventWaitsUntilTheOneBeforeItIsDone() {
        receiver.answer(503);
        String id = submit(List.of("started", "completed"));

        dueWork.run();
        assertThat(typesReceived()).as("the end waits for the start's retry").containsExactly("job.started");
        assertThat(deliveries(id)).extracting(ClientWebhook::state).containsExactly("waiting", "waiting");

        clock.advance(Duration.ofSeconds(6));
        dueWork.run();

        assertThat(typesReceived()).containsExactly("job.started", "job.started", "job.succeeded");
        assertThat(deliveries(id)).extracting(ClientWebhook::state).containsExactly("delivered", "delivered");
    }

    @Test
    void aReplaySendsTheLastEventAgainWithItsIdAndAFreshSignature() throws Exception {
        String id = submit(List.of("started", "completed"));
        dueWork.run();
        assertThat(receiver.received).hasSize(2);
        clock.advance(Duration.ofSeconds(2)); // a new timestamp, so a new signature

        retry(id).statusCode(202).body("id", equalTo(id)).body("status", equalTo("succeeded"));
        retry(id).statusCode(202); // asked twice before it went: one replay
        dueWork.run();

        assertThat(typesReceived()).containsExactly("job.started", "job.succeeded", "job.succeeded");
        Receiver.Delivery first = receiver.received.get(1);
        Receiver.Delivery replay = receiver.received.get(2);
        assertThat(replay.header("webhook-id"))
                .isEqualTo(first.header("webhook-id"))
                .isEqualTo("msg_" + id);
        assertThat(replay.header("webhook-timestamp")).isNotEqualTo(first.header("webhook-timestamp"));
        assertThat(replay.header("webhook-signature")).isNotEqualTo(first.header("webhook-signature"));
        new Webhook(ClientWebhooksTest.SECRET).verify(replay.body(), replay.headers());
        assertThat(deliveries(id).getLast().attempts()).hasSize(2);
        assertThat(deliveries(id).getLast().state()).isEqualTo("delivered");
    }

    @Test
    void aReplayOfAnEventGivenUpStartsTheWholeScheduleAgain() {
        String id = submit(null);
        IntStream.range(0, 8).forEach(i -> receiver.answer(500));
        for (int i = 0; i < 8; i++) {
            clock.advance(Duration.ofHours(27)); // past the longest wait with its jitter: one attempt a run
            dueWork.run();
        }
        assertThat(deliveries(id).getLast().state()).isEqualTo("failed");

        retry(id).statusCode(202);
        receiver.answer(500);
        dueWork.run();
        assertThat(deliveries(id).getLast().state())
                .as("the new round has its own retries")
                .isEqualTo("waiting");
        clock.advance(Duration.ofSeconds(6));
        dueWork.run();

        assertThat(receiver.received).hasSize(10);
        assertThat(deliveries(id).getLast().state()).isEqualTo("delivered");
    }

    @Test
    void nothingToReplayIsAConflictAndAnUnknownJobIsNotFound() {
        String withoutHook = api().contentType("application/json")
                .body(Map.of("operation", "head_shot", "face_image", TestPhotos.dataUri("astronaut.jpg", "image/jpeg")))
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        retry(withoutHook).statusCode(409).body("error.code", equalTo("webhook_not_sent"));

        String notYetSent = submit(null);
        retry(notYetSent).statusCode(409).body("error.code", equalTo("webhook_not_sent"));
        assertThat(deliveries(notYetSent)).extracting(ClientWebhook::state).containsExactly("waiting");

        retry(JobId.random().value()).statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void retryAfterIsHonouredInSecondsAndAsADateAndCapped() {
        receiver.answer(429, "120");
        String seconds = submit(null);
        dueWork.run();
        ClientWebhook waiting = deliveries(seconds).getLast();
        Instant tried = waiting.attempts().getLast().at();
        assertThat(waiting.nextAttemptAt()).isEqualTo(tried.plusSeconds(120));
        clock.advance(Duration.ofSeconds(60));
        dueWork.run();
        assertThat(receiver.received).as("not before the receiver's time").hasSize(1);
        clock.advance(Duration.ofSeconds(61));
        dueWork.run();
        assertThat(receiver.received).hasSize(2);

        Instant inAnHour = clock.instant().plus(Duration.ofHours(1));
        receiver.answer(503, DateTimeFormatter.RFC_1123_DATE_TIME.format(inAnHour.atOffset(ZoneOffset.UTC)));
        String date = submit(null);
        dueWork.run();
        assertThat(deliveries(date).getLast().nextAttemptAt())
                .isBetween(inAnHour.minusSeconds(2), inAnHour.plusSeconds(1));

        receiver.answer(429, "9999999");
        String capped = submit(null);
        dueWork.run();
        ClientWebhook held = deliveries(capped).getLast();
        assertThat(held.nextAttemptAt())
                .isEqualTo(held.attempts().getLast().at().plus(Duration.ofHours(24)));
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 504, 400})
    void otherFailuresAreRetriedOnTheSchedule(int status) {
        receiver.answer(status, "3600"); // Retry-After counts on 429 and 503 only
        String id = submit(null);
        dueWork.run();
        clock.advance(Duration.ofSeconds(6));
        dueWork.run();

        assertThat(deliveries(id).getLast().attempts())
                .extracting(ClientWebhook.Attempt::status)
                .containsExactly(status, 200);
    }

    @Test
    void aFilterThatIsNoListOfKnownEventsOrHasNoWebhookIsRefusedAndNothingIsStored() {
        List<String> before = bucket.keys();
        for (Object filter : List.of(List.of(), List.of("completed", "logs"), "completed", List.of(1))) {
            api().contentType("application/json")
                    .body(headShot(filter))
                    .post("/v1/jobs")
                    .then()
                    .statusCode(400)
                    .body("error.code", equalTo("invalid_param"))
                    .body("error.field", equalTo("webhook_events_filter"));
        }
        Map<String, Object> noHook = headShot(List.of("started"));
        noHook.remove("webhook");
        api().contentType("application/json")
                .body(noHook)
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("error.field", equalTo("webhook_events_filter"));
        api().multiPart("face_image", "face.jpg", TestPhotos.bytes("astronaut.jpg"), "image/jpeg")
                .multiPart(
                        "request",
                        "{\"operation\":\"head_shot\",\"webhook\":\"" + receiver.url()
                                + "\",\"webhook_events_filter\":[\"finished\"]}",
                        "application/json")
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("error.field", equalTo("webhook_events_filter"));
        api().contentType("application/json")
                .body(Map.of("operation", "head_shot", "webhook_events_filter", List.of("started")))
                .post("/v1/uploads")
                .then()
                .statusCode(400)
                .body("error.field", equalTo("webhook_events_filter"));
        assertThat(bucket.keys()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void theFilterIsTakenByMultipartRequestsAndUploads() {
        api().multiPart("face_image", "face.jpg", TestPhotos.bytes("astronaut.jpg"), "image/jpeg")
                .multiPart(
                        "request",
                        "{\"operation\":\"head_shot\",\"webhook\":\"" + receiver.url()
                                + "\",\"webhook_events_filter\":[\"started\"]}",
                        "application/json")
                .post("/v1/jobs")
                .then()
                .statusCode(202);
        dueWork.run();
        assertThat(typesReceived()).containsExactly("job.started");

        String upload = api().contentType("application/json")
                .body(Map.of(
                        "operation",
                        "head_shot",
                        "webhook",
                        receiver.url().toString(),
                        "webhook_events_filter",
                        List.of("started", "output")))
                .post("/v1/uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("job_id");
        assertThat(records.find(JobId.of(upload)).orElseThrow().webhookEvents())
                .extracting(e -> e.wire())
                .containsExactly("started", "output");
    }
}
