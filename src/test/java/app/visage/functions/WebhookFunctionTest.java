package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.WebhookToken;
import app.visage.jobs.usecase.JobRecords;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ExportProfiles.Webhook.class)
class WebhookFunctionTest {
    private static final String SAMPLE_TOKEN = "sample-token";

    @Inject
    JobRecords records;

    private String processingJobWithToken(String token) {
        Instant now = Instant.now();
        JobId id = JobId.random();
        records.create(Job.builder()
                .id(id)
                .status(JobStatus.PROCESSING)
                .operation(Operation.HEAD_SHOT)
                .provider("modelslab")
                .webhookTokenHash(WebhookToken.hash(token))
                .createdAt(now)
                .updatedAt(now)
                .expiresAt(now.plus(Duration.ofHours(24)))
                .build());
        return id.value();
    }

    @Test
    void theRightTokenFindsTheJob() {
        String token = WebhookToken.generate();
        String id = processingJobWithToken(token);
        JsonPath response = SampleEvents.invoke(SampleEvents.read("webhook-provider-callback.json")
                .replace(SampleEvents.SAMPLE_JOB_ID, id)
                .replace(SAMPLE_TOKEN, token));
        assertThat(response.getInt("statusCode")).isEqualTo(200);
        assertThat(JsonPath.from(SampleEvents.body(response)).getString("status"))
                .isEqualTo("processing");
    }

    @Test
    void aWrongTokenOrProviderIsIndistinguishableFromNoJob() {
        String token = WebhookToken.generate();
        String id = processingJobWithToken(token);
        String sample = SampleEvents.read("webhook-provider-callback.json").replace(SampleEvents.SAMPLE_JOB_ID, id);
        JsonPath wrongToken = SampleEvents.invoke(sample.replace(SAMPLE_TOKEN, WebhookToken.generate()));
        JsonPath wrongProvider = SampleEvents.invoke(sample.replace(SAMPLE_TOKEN, token)
                .replace("/modelslab/", "/fashn/")
                .replace("\"provider\": \"modelslab\"", "\"provider\": \"fashn\""));
        JsonPath noJob = SampleEvents.invoke(SampleEvents.read("webhook-provider-callback.json"));
        for (JsonPath response : List.of(wrongToken, wrongProvider, noJob)) {
            assertThat(response.getInt("statusCode")).isEqualTo(404);
            assertThat(SampleEvents.body(response)).isEqualTo(SampleEvents.body(noJob));
        }
    }
}
