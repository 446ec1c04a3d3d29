package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.images.ImageFormat;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.usecase.CreateUpload;
import app.visage.jobs.usecase.FindJob;
import app.visage.jobs.usecase.Providers;
import app.visage.jobs.usecase.UploadCommand;
import app.visage.support.Bucket;
import app.visage.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ExportProfiles.Upload.class)
class UploadFunctionTest {
    @Inject
    CreateUpload createUpload;

    @Inject
    Providers providers;

    @Inject
    FileStore files;

    @Inject
    FindJob findJob;

    @Inject
    Bucket bucket;

    @Test
    void anUploadedPhotoStartsItsJobOnceEvenWhenTheEventRepeats() {
        CreateUpload.Ticket ticket = createUpload.create(new UploadCommand(
                JobId.random(),
                Tenant.ANONYMOUS,
                Operation.HEAD_SHOT,
                providers.get("local"),
                Params.none(),
                ImageFormat.JPEG,
                null,
                Map.of(),
                List.of(),
                List.of(),
                null));
        String id = ticket.job().id().value();
        files.put(ticket.job().upload().key(), TestPhotos.bytes("astronaut.jpg"), "image/jpeg");
        String event = SampleEvents.read("upload-object-created.json").replace(SampleEvents.SAMPLE_JOB_ID, id);

        JsonPath first = SampleEvents.invoke(event);
        assertThat(first.getList("job_id")).contains(id);
        assertThat(findJob.find(id).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(bucket.keys("uploads/" + id + "/")).isEmpty();
        assertThat(bucket.keys("outputs/" + id + "/")).hasSize(1);

        JsonPath repeat = SampleEvents.invoke(event);
        assertThat(repeat.getList("status")).containsOnly("succeeded");
        assertThat(findJob.find(id).outputs()).hasSize(1);
    }

    @Test
    void anObjectOfNoJobIsRemoved() {
        files.put(
                "uploads/job_sampleaaaaaaaaaaaaaaaaaaaa/face copy+1.jpg",
                TestPhotos.bytes("astronaut.jpg"),
                "image/jpeg");
        JsonPath response = SampleEvents.invoke(SampleEvents.read("upload-object-created.json"));
        assertThat(response.getList("$")).isEmpty();
        assertThat(bucket.keys("uploads/job_sampleaaaaaaaaaaaaaaaaaaaa/")).isEmpty();
    }
}
