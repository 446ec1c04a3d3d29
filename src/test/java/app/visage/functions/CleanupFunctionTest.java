package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.images.ImageFormat;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.usecase.CreateUpload;
import app.visage.jobs.usecase.FindJob;
import app.visage.jobs.usecase.Providers;
import app.visage.jobs.usecase.UploadCommand;
import app.visage.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ExportProfiles.Cleanup.class)
class CleanupFunctionTest {
    @Inject
    CreateUpload createUpload;

    @Inject
    Providers providers;

    @Inject
    FindJob findJob;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void theScheduledEventRunsTheSweep() {
        String id = createUpload
                .create(new UploadCommand(
                        JobId.random(),
                        Tenant.ANONYMOUS,
                        Operation.HEAD_SHOT,
                        providers.choose(Operation.HEAD_SHOT, null),
                        Params.none(),
                        ImageFormat.JPEG,
                        null,
                        Map.of()))
                .job()
                .id()
                .value();
        clock.advance(Duration.ofMinutes(20));
        JsonPath summary = SampleEvents.invoke(SampleEvents.read("cleanup-scheduled.json"));
        assertThat(summary.getInt("failed")).isGreaterThanOrEqualTo(1);
        assertThat(summary.getInt("errors")).isZero();
        assertThat(summary.getMap("")).containsKey("orphans_deleted");
        assertThat(findJob.find(id).status()).isEqualTo(JobStatus.FAILED);
    }
}
