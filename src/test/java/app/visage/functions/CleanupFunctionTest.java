package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.images.ImageFormat;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.model.Work;
import app.visage.jobs.usecase.CreateUpload;
import app.visage.jobs.usecase.FindJob;
import app.visage.jobs.usecase.Providers;
import app.visage.jobs.usecase.UploadCommand;
import app.visage.jobs.usecase.WorkSchedule;
import app.visage.support.Bucket;
import app.visage.support.DueWork;
import app.visage.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
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

    @Inject
    WorkSchedule schedule;

    @Inject
    DueWork dueWork;

    @Inject
    Bucket bucket;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void theScheduledEventSendsTheDueWorkOfTheIndex() {
        dueWork.purge();
        JobId id = createUpload
                .create(new UploadCommand(
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
                        null))
                .job()
                .id();
        // A timer further off than the queue's longest delay: it waits in the due-work index.
        schedule.send(Work.wake(id, clock.instant().plus(Duration.ofMinutes(20))));
        assertThat(bucket.keys("due/")).anyMatch(k -> k.contains(id.value()));

        clock.advance(Duration.ofMinutes(20));
        JsonPath summary = SampleEvents.invoke(SampleEvents.read("cleanup-scheduled.json"));

        assertThat(summary.getInt("sent")).isGreaterThanOrEqualTo(1);
        assertThat(summary.getInt("errors")).isZero();
        assertThat(bucket.keys("due/")).noneMatch(k -> k.contains(id.value()));
        dueWork.run();
        assertThat(findJob.find(id.value()).status()).isEqualTo(JobStatus.FAILED);
    }
}
