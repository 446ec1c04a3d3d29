package app.visage.local;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.port.FileStore;
import app.visage.support.Bucket;
import app.visage.support.TestClock;
import app.visage.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Local mode's stand-in for the bucket's lifecycle rules, on a clock the test moves. */
@QuarkusTest
class LocalLifecycleTest {
    @Inject
    LocalLifecycle lifecycle;

    @Inject
    FileStore files;

    @Inject
    Bucket bucket;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void objectsOfNoJobAreRemovedOnceOlderThanTheTtl() {
        String orphan = "inputs/job_orphanorphanorphanorphanorph/face.jpg";
        files.put(orphan, TestPhotos.bytes("astronaut.jpg"), "image/jpeg");
        lifecycle.apply();
        assertThat(bucket.keys(orphan)).containsExactly(orphan);
        clock.advance(Duration.ofHours(25));
        lifecycle.apply();
        assertThat(bucket.keys(orphan)).isEmpty();
    }

    @Test
    void jobRecordsAndTheirTenantsIndexLastTheirRetentionNotTheTtl() {
        String record = "jobs/job_retainedretainedretainedretain.json";
        String marker = "tenants/anonymous/jobs/9221577770000000000-job_retainedretainedretainedretain.json";
        files.put(record, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        files.put(marker, new byte[0], "application/json");
        clock.advance(Duration.ofDays(29));
        lifecycle.apply();
        assertThat(bucket.keys(record)).containsExactly(record);
        assertThat(bucket.keys(marker)).containsExactly(marker);
        clock.advance(Duration.ofDays(2));
        lifecycle.apply();
        assertThat(bucket.keys(record)).isEmpty();
        assertThat(bucket.keys(marker)).isEmpty();
    }
}
