package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.images.ImageFormat;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.usecase.CreateUpload;
import app.visage.jobs.usecase.Providers;
import app.visage.jobs.usecase.UploadCommand;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ExportProfiles.Status.class)
class StatusFunctionTest {
    @Inject
    CreateUpload createUpload;

    @Inject
    Providers providers;

    private String jobOf(Tenant tenant) {
        return createUpload
                .create(new UploadCommand(
                        JobId.random(),
                        tenant,
                        Operation.HEAD_SHOT,
                        providers.get("local"),
                        Params.none(),
                        ImageFormat.JPEG,
                        null,
                        Map.of("user", "7"),
                        List.of(),
                        List.of(),
                        null))
                .job()
                .id()
                .value();
    }

    @Test
    void answersTheJobView() {
        String id = jobOf(ExportProfiles.SAMPLE_TENANT);
        JsonPath response =
                SampleEvents.invoke(SampleEvents.read("status-get-job.json").replace(SampleEvents.SAMPLE_JOB_ID, id));
        assertThat(response.getInt("statusCode")).isEqualTo(200);
        JsonPath view = JsonPath.from(SampleEvents.body(response));
        assertThat(view.getString("id")).isEqualTo(id);
        assertThat(view.getString("status")).isEqualTo("queued");
        assertThat(view.getMap("metadata")).containsEntry("user", "7");
    }

    @Test
    void behindTheJwtAuthorizerTheVerifiedClaimNamesTheTenant() {
        String id = jobOf(ExportProfiles.JWT_TENANT);
        String event = SampleEvents.read("status-get-job-jwt.json").replace(SampleEvents.SAMPLE_JOB_ID, id);
        JsonPath response = SampleEvents.invoke(event);
        assertThat(response.getInt("statusCode")).isEqualTo(200);
        assertThat(JsonPath.from(SampleEvents.body(response)).getString("id")).isEqualTo(id);

        JsonPath otherTenant = SampleEvents.invoke(event.replace("\"sub\": \"tenant-sample\"", "\"sub\": \"other\""));
        assertThat(otherTenant.getInt("statusCode")).isEqualTo(404);
        JsonPath apiKeysTenant =
                SampleEvents.invoke(SampleEvents.read("status-get-job.json").replace(SampleEvents.SAMPLE_JOB_ID, id));
        assertThat(apiKeysTenant.getInt("statusCode")).isEqualTo(404);
    }

    @Test
    void withoutClaimsOrAKeyTheCallerIsUnauthorized() {
        String id = jobOf(ExportProfiles.SAMPLE_TENANT);
        JsonPath response = SampleEvents.invoke(SampleEvents.read("status-get-job.json")
                .replace(SampleEvents.SAMPLE_JOB_ID, id)
                .replace("Bearer " + ExportProfiles.SAMPLE_KEY, "Bearer nope"));
        assertThat(response.getInt("statusCode")).isEqualTo(401);
        assertThat(JsonPath.from(SampleEvents.body(response)).getString("error.code"))
                .isEqualTo("unauthorized");
    }

    @Test
    void listsTheTenantsJobsNewestFirstFromTheSample() {
        String older = jobOf(ExportProfiles.SAMPLE_TENANT);
        String newer = jobOf(ExportProfiles.SAMPLE_TENANT);
        jobOf(ExportProfiles.JWT_TENANT);

        JsonPath response = SampleEvents.invoke(SampleEvents.read("status-list-jobs.json"));

        assertThat(response.getInt("statusCode")).isEqualTo(200);
        JsonPath page = JsonPath.from(SampleEvents.body(response));
        assertThat(page.getList("data.id", String.class)).containsExactly(newer, older);
        assertThat(page.getList("data.status", String.class)).containsOnly("queued");
    }

    @Test
    void aListWithABadLimitIs400NamingIt() {
        JsonPath response = SampleEvents.invoke(SampleEvents.read("status-list-jobs.json")
                .replace("\"2\"", "\"0\"")
                .replace("limit=2", "limit=0"));

        assertThat(response.getInt("statusCode")).isEqualTo(400);
        assertThat(JsonPath.from(SampleEvents.body(response)).getString("error.field"))
                .isEqualTo("limit");
    }

    @Test
    void unknownJobIsNotFound() {
        JsonPath response = SampleEvents.invoke(SampleEvents.read("status-get-job.json"));
        assertThat(response.getInt("statusCode")).isEqualTo(404);
    }
}
