package app.visage.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.images.ImageFormat;
import app.visage.images.ImageInspector;
import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.usecase.CancelJob;
import app.visage.jobs.usecase.CreateUpload;
import app.visage.jobs.usecase.JobRecords;
import app.visage.jobs.usecase.Providers;
import app.visage.jobs.usecase.SubmitCommand;
import app.visage.jobs.usecase.SubmitJob;
import app.visage.jobs.usecase.UploadCommand;
import app.visage.json.Json;
import app.visage.support.DueWork;
import app.visage.support.OpenApiContract;
import app.visage.support.TestClock;
import app.visage.support.TestPhotos;
import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client webhooks as the client sees them: a loopback receiver (private addresses allowed in this
 * profile) checks each delivery with the reference Standard Webhooks library.
 */
@QuarkusTest
@TestProfile(ClientWebhooksTest.WithSecret.class)
class ClientWebhooksTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Inject
    SubmitJob submitJob;

    @Inject
    CreateUpload createUpload;

    @Inject
    CancelJob cancelJob;

    @Inject
    DueWork dueWork;

    @Inject
    Providers providers;

    @Inject
    JobRecords records;

    @Inject
    ImageInspector inspector;

    @Inject
    TestClock clock;

    private Receiver receiver;
    private List<Receiver.Delivery> received;

    public static class WithSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("visage.webhooks.secret", SECRET, "visage.egress.allow-private", "true");
        }
    }

    @BeforeEach
    void receive() throws IOException {
        dueWork.purge(); // no delivery an earlier test left may reach this test's receiver
        receiver = new Receiver();
        received = receiver.received;
    }

    @AfterEach
    void stop() {
        receiver.close();
        clock.reset();
    }

    private URI hook() {
        return receiver.url();
    }

    private Job headShot() {
        byte[] bytes = TestPhotos.bytes("astronaut.jpg");
        return submitJob.submit(new SubmitCommand(
                JobId.random(),
                Tenant.ANONYMOUS,
                Operation.HEAD_SHOT,
                providers.get("local"),
                Params.none(),
                new Photo(bytes, inspector.inspect(bytes)),
                hook(),
                Map.of("user", "42"),
                List.of(),
                List.of(),
                null));
    }

    private ClientWebhook delivery(Job job) {
        return records.find(job.id()).orElseThrow().clientWebhooks().getLast();
    }

    @Test
    void aFinishedJobIsDeliveredSignedAndTheReferenceLibraryVerifiesIt() throws Exception {
        Job job = headShot();
        assertThat(received)
                .as("delivered by the worker, not by the request that ran the job")
                .isEmpty();

        dueWork.run();

        assertThat(received).hasSize(1);
        Receiver.Delivery delivery = received.get(0);
        new Webhook(SECRET).verify(delivery.body(), delivery.headers());
        JsonNode body = Json.MAPPER.readTree(delivery.body());
        assertThat(body.get("type").asText()).isEqualTo("job.succeeded");
        assertThat(body.get("data").get("id").asText()).isEqualTo(job.id().value());
        assertThat(body.get("data").get("status").asText()).isEqualTo("succeeded");
        assertThat(body.get("data").get("metadata").get("user").asText()).isEqualTo("42");
        assertThat(delivery.header("webhook-id")).isEqualTo("msg_" + job.id());
        assertThat(delivery.header("webhook-signature")).startsWith("v1,");
        assertThat(OpenApiContract.get().webhookProblems(delivery.headers(), delivery.body()))
                .as("the delivery is as docs/openapi.json's webhooks describe it")
                .isEmpty();

        String tampered = delivery.body().replace("succeeded", "failed");
        assertThatThrownBy(() -> new Webhook(SECRET).verify(tampered, delivery.headers()))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook("whsec_" + Base64.getEncoder().encodeToString(new byte[24]))
                        .verify(delivery.body(), delivery.headers()))
                .isInstanceOf(WebhookVerificationException.class);

        ClientWebhook state = delivery(job);
        assertThat(state.state()).isEqualTo("delivered");
        assertThat(state.attempts())
                .hasSize(1)
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
    }

    @Test
    void aFailedDeliveryIsRetriedOnItsScheduleWithTheSameIdUntilItArrives() throws Exception {
        receiver.answer(503);
        Job job = headShot();
        dueWork.run();
        assertThat(received).hasSize(1);
        assertThat(delivery(job).state()).isEqualTo("waiting");

        dueWork.run();
        assertThat(received)
                .as("not due yet: about 5 s after the first attempt")
                .hasSize(1);

        clock.advance(Duration.ofSeconds(6));
        dueWork.run();
        dueWork.run();

        assertThat(received).hasSize(2);
        assertThat(received).extracting(d -> d.header("webhook-id")).containsOnly("msg_" + job.id());
        for (Receiver.Delivery d : received) {
            new Webhook(SECRET).verify(d.body(), d.headers());
        }
        ClientWebhook state = delivery(job);
        assertThat(state.state()).isEqualTo("delivered");
        assertThat(state.attempts()).extracting(ClientWebhook.Attempt::status).containsExactly(503, 200);
    }

    @Test
    void anEndpointThatNeverAnswersWellIsGivenUpAfterTheLastRetry() {
        for (int i = 0; i < 8; i++) {
            receiver.answer(500);
        }
        Job job = headShot();
        for (int i = 0; i < 8; i++) {
            // Past the longest wait, the last step's 24 h with its jitter (up to +10 %): one attempt a run.
            clock.advance(Duration.ofHours(27));
            dueWork.run();
        }

        assertThat(received).hasSize(8);
        assertThat(delivery(job).state()).isEqualTo("failed");
        assertThat(delivery(job).attempts()).hasSize(8);
    }

    @Test
    void goneStopsTheRetries() {
        receiver.answer(410);
        Job job = headShot();

        clock.advance(Duration.ofDays(2));
        dueWork.run();

        assertThat(received).hasSize(1);
        assertThat(delivery(job).state()).isEqualTo("disabled");
    }

    @Test
    void aCanceledJobSaysSo() throws Exception {
        Job waiting = createUpload
                .create(new UploadCommand(
                        JobId.random(),
                        Tenant.ANONYMOUS,
                        Operation.HEAD_SHOT,
                        providers.get("local"),
                        Params.none(),
                        ImageFormat.JPEG,
                        hook(),
                        Map.of(),
                        List.of(),
                        List.of(),
                        null))
                .job();
        assertThat(received).isEmpty();

        cancelJob.cancel(waiting.id().value(), Tenant.ANONYMOUS);
        dueWork.run();

        assertThat(received).hasSize(1);
        assertThat(Json.MAPPER.readTree(received.get(0).body()).get("type").asText())
                .isEqualTo("job.canceled");
    }
}
