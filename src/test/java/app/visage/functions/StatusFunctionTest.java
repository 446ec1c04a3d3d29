package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.CreateUpload;
import app.visage.jobs.Operation;
import app.visage.jobs.Params;
import app.visage.jobs.Providers;
import app.visage.jobs.UploadCommand;
import app.visage.images.ImageFormat;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ExportProfiles.Status.class)
class StatusFunctionTest {
    @Inject
    CreateUpload createUpload;
    @Inject
    Providers providers;

    @Test
    void answersTheJobView() {
        String id = createUpload.create(new UploadCommand(Operation.HEAD_SHOT, providers.choose(Operation.HEAD_SHOT,
                null), Params.none(), ImageFormat.JPEG, null, Map.of("user", "7"))).job().id().value();
        JsonPath response = SampleEvents.invoke(SampleEvents.read("status-get-job.json")
                .replace(SampleEvents.SAMPLE_JOB_ID, id));
        assertThat(response.getInt("statusCode")).isEqualTo(200);
        JsonPath view = JsonPath.from(SampleEvents.body(response));
        assertThat(view.getString("id")).isEqualTo(id);
        assertThat(view.getString("status")).isEqualTo("queued");
        assertThat(view.getMap("metadata")).containsEntry("user", "7");
    }

    @Test
    void unknownJobIsNotFound() {
        JsonPath response = SampleEvents.invoke(SampleEvents.read("status-get-job.json"));
        assertThat(response.getInt("statusCode")).isEqualTo(404);
    }
}
