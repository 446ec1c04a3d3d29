package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.images.ImageInspector;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.Tenant;
import app.visage.support.Bucket;
import app.visage.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A build without the local engine (as the native executables are built) still takes local jobs: it stores
 * each photo and leaves the job queued for the worker, which runs on the JVM with the engine. Nothing goes
 * under uploads/.
 */
@QuarkusTest
@TestProfile(EngineHandOffTest.WithoutEngine.class)
class EngineHandOffTest {
    @Inject
    SubmitJob submitJob;

    @Inject
    Providers providers;

    @Inject
    ImageInspector inspector;

    @Inject
    Bucket bucket;

    @Inject
    Instance<app.visage.providers.local.InProcessEngine> engine;

    public static class WithoutEngine implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // No upload function takes what lands under uploads/, so the test would see it; and tests start no
            // worker (visage.local.serve is off), so the job stays as submit left it.
            return Map.of("visage.local-engine", "false", "visage.local.upload-events", "false");
        }
    }

    @Test
    void theEngineIsNotInTheBuild() {
        assertThat(engine.isResolvable()).isFalse();
        assertThat(providers.get("local").startsInline()).isFalse();
    }

    @Test
    void aLocalJobIsStoredAndLeftQueuedForTheWorkerWhichHasTheEngine() {
        byte[] bytes = TestPhotos.bytes("astronaut.jpg");
        Job job = submitJob.submit(new SubmitCommand(
                JobId.random(),
                Tenant.ANONYMOUS,
                Operation.HEAD_SHOT,
                providers.get("local"),
                Params.none(),
                new Photo(bytes, inspector.inspect(bytes)),
                null,
                Map.of("user", "7"),
                List.of(),
                List.of(),
                null));

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.dispatch().claimed()).as("not started here").isFalse();
        assertThat(job.input().key()).isEqualTo("inputs/" + job.id() + "/face.jpg");
        assertThat(bucket.keys("inputs/" + job.id() + "/"))
                .containsExactly(job.input().key());
        assertThat(bucket.keys("uploads/" + job.id() + "/")).isEmpty();
    }
}
