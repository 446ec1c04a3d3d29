package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.JobStatus;
import app.visage.jobs.usecase.FindJob;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ExportProfiles.Submit.class)
class SubmitFunctionTest {
    @Inject
    FindJob findJob;

    @Test
    void jsonBodyWithDataUriRunsTheJob() {
        JsonPath response = SampleEvents.invoke(SampleEvents.read("submit-create-job.json"));
        assertThat(response.getInt("statusCode")).isEqualTo(202);
        JsonPath body = JsonPath.from(SampleEvents.body(response));
        assertThat(body.getString("operation")).isEqualTo("head_shot");
        assertThat(findJob.find(body.getString("id")).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void base64MultipartBodyRunsTheJob() {
        JsonPath response = SampleEvents.invoke(SampleEvents.read("submit-create-job-multipart.json"));
        assertThat(response.getInt("statusCode")).isEqualTo(202);
        String id = JsonPath.from(SampleEvents.body(response)).getString("id");
        assertThat(findJob.find(id).outputs()).hasSize(1);
    }

    @Test
    void uploadRequestAnswersASignedForm() {
        JsonPath response = SampleEvents.invoke(SampleEvents.read("submit-create-upload.json"));
        assertThat(response.getInt("statusCode")).isEqualTo(201);
        JsonPath body = JsonPath.from(SampleEvents.body(response));
        assertThat(body.getString("upload_fields.key")).isEqualTo("uploads/" + body.getString("job_id") + "/face.jpg");
        assertThat(body.getString("upload_fields.x-amz-signature")).matches("[0-9a-f]{64}");
        assertThat(body.getString("upload_fields.policy")).isNotBlank();
        assertThat(findJob.find(body.getString("job_id")).status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void withoutTheKeyNothingIsCreated() {
        JsonPath response = SampleEvents.invoke(SampleEvents.read("submit-create-job.json")
                .replace("\"authorization\": \"Bearer " + ExportProfiles.SAMPLE_KEY + "\",", ""));
        assertThat(response.getInt("statusCode")).isEqualTo(401);
        assertThat(JsonPath.from(SampleEvents.body(response)).getString("error.code"))
                .isEqualTo("unauthorized");
    }

    @Test
    void cancelOfAnUnknownJobIsNotFound() {
        JsonPath response = SampleEvents.invoke(SampleEvents.read("submit-cancel-job.json"));
        assertThat(response.getInt("statusCode")).isEqualTo(404);
        assertThat(JsonPath.from(SampleEvents.body(response)).getString("error.code"))
                .isEqualTo("not_found");
    }

    @Test
    void aWebhookReplayOfAnUnknownJobIsNotFound() {
        JsonPath response = SampleEvents.invoke(SampleEvents.read("submit-retry-webhook.json"));
        assertThat(response.getInt("statusCode")).isEqualTo(404);
        assertThat(JsonPath.from(SampleEvents.body(response)).getString("error.code"))
                .isEqualTo("not_found");
    }

    @Test
    void aWebhookReplayOfAJobWithoutAWebhookIsAConflict() {
        JsonPath created = SampleEvents.invoke(SampleEvents.read("submit-create-job.json"));
        String id = JsonPath.from(SampleEvents.body(created)).getString("id");

        JsonPath response = SampleEvents.invoke(
                SampleEvents.read("submit-retry-webhook.json").replace(SampleEvents.SAMPLE_JOB_ID, id));

        assertThat(response.getInt("statusCode")).isEqualTo(409);
        assertThat(JsonPath.from(SampleEvents.body(response)).getString("error.code"))
                .isEqualTo("webhook_not_sent");
    }
}
