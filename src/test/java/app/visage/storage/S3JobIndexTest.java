package app.visage.storage;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.IndexedJob;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.JobIndex;
import app.visage.local.LocalS3;
import app.visage.support.Bucket;
import app.visage.support.S3Requests;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tenants' indexes of jobs on the embedded S3, through the AWS SDK: key order, StartAfter, one list a page. */
@QuarkusTest
class S3JobIndexTest {
    private static final Tenant TENANT = new Tenant("index-test");
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00.123456789Z");

    @Inject
    S3JobIndex index;

    @Inject
    FileStore files;

    @Inject
    Bucket bucket;

    @Inject
    LocalS3 s3;

    @BeforeEach
    @AfterEach
    void emptyTheIndex() {
        files.delete(bucket.keys(Keys.tenantJobs(TENANT)));
    }

    private static Job job(Tenant tenant, Instant createdAt) {
        return Job.builder()
                .id(JobId.random())
                .tenant(tenant.id())
                .status(JobStatus.QUEUED)
                .operation(Operation.HEAD_SHOT)
                .provider("local")
                .createdAt(createdAt)
                .updatedAt(createdAt)
                .expiresAt(createdAt.plus(Duration.ofDays(1)))
                .build();
    }

    /** Jobs created a second apart, oldest first, each in the index. */
    private List<Job> indexed(int n) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Job job = job(TENANT, T0.plusSeconds(i));
            index.add(job);
            jobs.add(job);
        }
        return jobs;
    }

    private static List<JobId> ids(JobIndex.Page page) {
        return page.jobs().stream().map(IndexedJob::id).toList();
    }

    @Test
    void pagesAreNewestFirstAndGoOnAfterAPosition() {
        List<Job> jobs = indexed(5);
        index.add(job(new Tenant("someone-else"), T0.plusSeconds(10)));

        JobIndex.Page first = index.page(TENANT, null, 2);
        JobIndex.Page rest = index.page(TENANT, first.jobs().getLast().position(), 10);

        assertThat(ids(first)).containsExactly(jobs.get(4).id(), jobs.get(3).id());
        assertThat(first.more()).isTrue();
        assertThat(ids(rest))
                .containsExactly(jobs.get(2).id(), jobs.get(1).id(), jobs.get(0).id());
        assertThat(rest.more()).isFalse();
        assertThat(first.jobs().getFirst().createdAt())
                .isEqualTo(T0.plusSeconds(4).minusNanos(789));
        assertThat(first.jobs().getFirst().isOf(jobs.get(4))).isTrue();
        files.delete(bucket.keys(Keys.tenantJobs(new Tenant("someone-else"))));
    }

    @Test
    void aBoundBeforeATimeSkipsEveryJobCreatedAfterIt() {
        List<Job> jobs = indexed(4);

        JobIndex.Page page = index.page(TENANT, IndexedJob.before(jobs.get(2).createdAt()), 10);

        assertThat(ids(page))
                .containsExactly(jobs.get(2).id(), jobs.get(1).id(), jobs.get(0).id());
    }

    @Test
    void aPageIsOneListRequestAndAMarkerIsAnEmptyObjectTakenOutByRemove() {
        List<Job> jobs = indexed(3);
        S3Requests requests = new S3Requests(s3);

        List<S3Requests.Request> made = requests.during(() -> index.page(TENANT, null, 100));

        assertThat(made).extracting(S3Requests.Request::type).containsExactly("LIST");
        String key = Keys.indexed(
                TENANT, IndexedJob.of(jobs.get(1).createdAt(), jobs.get(1).id()));
        assertThat(files.get(key)).hasValueSatisfying(body -> assertThat(body).isEmpty());
        index.remove(jobs.get(1));
        assertThat(ids(index.page(TENANT, null, 100)))
                .containsExactly(jobs.get(2).id(), jobs.get(0).id());
    }
}
