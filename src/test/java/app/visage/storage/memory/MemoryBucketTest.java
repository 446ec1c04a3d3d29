package app.visage.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.port.JobStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The in-memory bucket keeps the promises of S3 the core relies on, or the core's fast tests prove nothing. */
class MemoryBucketTest {
    final Instant now = Instant.parse("2026-12-03T10:00:00Z");
    final MemoryBucket bucket = new MemoryBucket(Clock.fixed(now, ZoneOffset.UTC));

    Job job(JobId id, JobStatus status) {
        return Job.builder()
                .id(id)
                .status(status)
                .operation(Operation.HEAD_SHOT)
                .provider("local")
                .createdAt(now)
                .updatedAt(now)
                .expiresAt(now)
                .build();
    }

    @Test
    void aRecordIsCreatedOnceAndReplacedOnlyAtTheVersionItWasRead() {
        JobId id = JobId.random();
        String v1 = bucket.create(job(id, JobStatus.QUEUED));
        assertThatThrownBy(() -> bucket.create(job(id, JobStatus.QUEUED))).isInstanceOf(JobStore.AlreadyExists.class);

        String v2 = bucket.replace(job(id, JobStatus.PROCESSING), v1).orElseThrow();

        assertThat(v2).isNotEqualTo(v1);
        assertThat(bucket.replace(job(id, JobStatus.FAILED), v1)).isEmpty();
        assertThat(bucket.find(id).orElseThrow().job().status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(bucket.find(id).orElseThrow().version()).isEqualTo(v2);
    }

    @Test
    void aWriteWhoseAnswerIsLostIsMadeAndARefusedOneIsNot() {
        JobId lost = JobId.random();
        bucket.failNextWrite(k -> k.contains(lost.value()), MemoryBucket.FaultKind.LOSE_ANSWER);
        assertThatThrownBy(() -> bucket.create(job(lost, JobStatus.QUEUED))).hasMessageContaining("lost");
        assertThat(bucket.find(lost)).isPresent();

        JobId refused = JobId.random();
        bucket.failNextWrite(k -> k.contains(refused.value()), MemoryBucket.FaultKind.REFUSE);
        assertThatThrownBy(() -> bucket.create(job(refused, JobStatus.QUEUED))).hasMessageContaining("refused");
        assertThat(bucket.find(refused)).isEmpty();
    }

    @Test
    void slotsAreTakenByCompareAndSwapAndObjectsListInKeyOrder() {
        assertThat(bucket.create("p", 0, JobId.random())).isTrue();
        assertThat(bucket.create("p", 0, JobId.random())).isFalse();
        String version = bucket.read("p", 0).orElseThrow().version();
        assertThat(bucket.replace("p", 0, null, version)).isTrue();
        assertThat(bucket.replace("p", 0, JobId.random(), version)).isFalse();

        bucket.put("outputs/b/1.png", new byte[] {2}, "image/png");
        bucket.put("outputs/a/1.png", new byte[] {1, 1}, "image/png");
        assertThat(bucket.list("outputs/"))
                .extracting(o -> o.key() + "=" + o.size())
                .containsExactly("outputs/a/1.png=2", "outputs/b/1.png=1");
    }

    /** Job records list page by page (only tests list them now): a page starts after the last key of the one before. */
    @Test
    void jobRecordsListInPagesThatNeitherOverlapNorSkip() {
        for (int i = 0; i < 3; i++) {
            bucket.create(job(JobId.random(), JobStatus.QUEUED));
        }
        bucket.put("slots/p/0.json", new byte[] {1}, "application/json"); // after jobs/ in key order: never listed

        JobStore.Page first = bucket.list(null, 2);
        JobStore.Page second = bucket.list(first.next(), 2);

        assertThat(first.ids()).hasSize(2);
        assertThat(second.ids()).hasSize(1);
        assertThat(second.next()).isNull();
        assertThat(first.ids()).doesNotContainAnyElementsOf(second.ids());
    }
}
