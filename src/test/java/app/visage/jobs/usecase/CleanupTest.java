package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.view.JobViews;
import app.visage.support.Bucket;
import app.visage.support.DueWork;
import app.visage.support.TestClock;
import app.visage.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timers of a job, by the cleanup and the worker, on a clock the test moves past them. */
@QuarkusTest
class CleanupTest {
    @Inject
    SubmitJob submitJob;

    @Inject
    CreateUpload createUpload;

    @Inject
    Providers providers;

    @Inject
    DueWork dueWork;

    @Inject
    JobRecords records;

    @Inject
    JobViews views;

    @Inject
    OutputLinks links;

    @Inject
    FileStore files;

    @Inject
    Bucket bucket;

    @Inject
    TestClock clock;

    @Inject
    app.visage.images.ImageInspector inspector;

    @AfterEach
    void resetClock() {
        clock.reset();
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
                null,
                Map.of(),
                List.of(),
                List.of(),
                null));
    }

    @Test
    void jobsPastTheirTtlLoseTheirObjectsAndBecomeExpired() {
        Job job = headShot();
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(bucket.keys("outputs/" + job.id() + "/")).isNotEmpty();

        dueWork.run();
        assertThat(records.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(bucket.keys("inputs/" + job.id() + "/")).isNotEmpty();

        clock.advance(Duration.ofHours(24).plusMinutes(1));
        dueWork.run();
        Job expired = records.find(job.id()).orElseThrow();
        assertThat(expired.status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(bucket.keys("inputs/" + job.id() + "/")).isEmpty();
        assertThat(bucket.keys("outputs/" + job.id() + "/")).isEmpty();
        Map<String, Object> view = views.view(links.shown(expired));
        assertThat(view).containsEntry("status", "expired");
        assertThat((List<?>) view.get("outputs")).isEmpty();
    }

    @Test
    void anUploadThatNeverCameFailsOnceItsUrlHasExpired() {
        CreateUpload.Ticket ticket = createUpload.create(new UploadCommand(
                JobId.random(),
                Tenant.ANONYMOUS,
                Operation.HEAD_SHOT,
                providers.get("local"),
                Params.none(),
                app.visage.images.ImageFormat.JPEG,
                null,
                Map.of(),
                List.of(),
                List.of(),
                null));
        dueWork.run();
        assertThat(records.find(ticket.job().id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        clock.advance(Duration.ofMinutes(16));
        dueWork.run();
        Job failed = records.find(ticket.job().id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.EXPIRED.wire());
    }
}
