package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.IndexedJob;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.Tenant;
import app.visage.storage.memory.MemoryBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /v1/jobs's use case on the in-memory bucket: pages newest first, cursors, filters, tenants, bounded work. */
class ListJobsTest {
    private static final Tenant ACME = new Tenant("acme");
    private static final Tenant GLOBEX = new Tenant("globex");

    private final Core core = new Core();

    private Job job(Tenant tenant, Operation operation, String provider) {
        core.clock.advance(Duration.ofMillis(1500));
        return core.recordedJob(JobId.random(), tenant, operation, provider);
    }

    private List<Job> jobs(Tenant tenant, int n) {
        List<Job> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            made.add(job(tenant, Operation.HEAD_SHOT, "scripted"));
        }
        return made;
    }

    private static ListJobs.Query query(int limit, IndexedJob cursor) {
        return new ListJobs.Query(limit, cursor, null, null, null, null, null);
    }

    private static List<JobId> ids(ListJobs.Listing listing) {
        return listing.jobs().stream().map(ShownJob::job).map(Job::id).toList();
    }

    private static List<JobId> newestFirst(List<Job> jobs) {
        return jobs.reversed().stream().map(Job::id).toList();
    }

    @Test
    void pagesThroughTheTenantsJobsNewestFirstAndNeverAnotherTenants() {
        List<Job> acme = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            acme.add(job(ACME, Operation.HEAD_SHOT, "scripted"));
            job(GLOBEX, Operation.HEAD_SHOT, "scripted");
        }

        ListJobs.Listing first = core.lister.list(ACME, query(2, null));
        ListJobs.Listing second = core.lister.list(ACME, query(2, first.next()));
        ListJobs.Listing third = core.lister.list(ACME, query(2, second.next()));

        assertThat(ids(first)).containsExactlyElementsOf(newestFirst(acme).subList(0, 2));
        assertThat(ids(second)).containsExactlyElementsOf(newestFirst(acme).subList(2, 4));
        assertThat(ids(third)).containsExactlyElementsOf(newestFirst(acme).subList(4, 5));
        assertThat(third.next()).as("the last page has no cursor").isNull();
        assertThat(ids(core.lister.list(GLOBEX, query(100, null)))).hasSize(5).doesNotContainAnyElementsOf(ids(first));
        assertThat(core.lister.list(new Tenant("initech"), query(20, null)).jobs())
                .isEmpty();
    }

    @Test
    void aPageThatEndsTheIndexExactlyHasNoCursor() {
        List<Job> acme = jobs(ACME, 3);

        ListJobs.Listing all = core.lister.list(ACME, query(3, null));

        assertThat(ids(all)).containsExactlyElementsOf(newestFirst(acme));
        assertThat(all.next()).isNull();
    }

    @Test
    void filtersByStatusOperationAndProvider() {
        Job recon = job(ACME, Operation.FACE_RECON, "scripted");
        Job other = job(ACME, Operation.HEAD_SHOT, "elsewhere");
        Job canceled = job(ACME, Operation.HEAD_SHOT, "scripted");
        core.records.apply(canceled.id(), j -> JobLifecycle.cancel(j, core.clock.instant()));

        assertThat(ids(core.lister.list(
                        ACME, new ListJobs.Query(20, null, null, Operation.FACE_RECON, null, null, null))))
                .containsExactly(recon.id());
        assertThat(ids(core.lister.list(ACME, new ListJobs.Query(20, null, null, null, "elsewhere", null, null))))
                .containsExactly(other.id());
        assertThat(ids(core.lister.list(
                        ACME, new ListJobs.Query(20, null, JobStatus.CANCELED, null, null, null, null))))
                .containsExactly(canceled.id());
        assertThat(ids(core.lister.list(ACME, new ListJobs.Query(20, null, JobStatus.QUEUED, null, null, null, null))))
                .containsExactly(other.id(), recon.id());
    }

    @Test
    void createdAfterAndBeforeAreExclusiveAndTheBeforeBoundSkipsNewerJobsWithoutReadingThem() {
        List<Job> acme = jobs(ACME, 6);
        Instant after = acme.get(1).createdAt();
        Instant before = acme.get(4).createdAt();
        Map<String, Integer> readsBefore = core.bucket.requests();

        ListJobs.Listing between =
                core.lister.list(ACME, new ListJobs.Query(20, null, null, null, null, after, before));

        assertThat(ids(between)).containsExactly(acme.get(3).id(), acme.get(2).id());
        assertThat(between.next()).isNull();
        assertThat(core.bucket.requests().get("GET jobs/") - readsBefore.getOrDefault("GET jobs/", 0))
                .as("records read: those between the bounds and the one at each (the index keeps µs); none newer")
                .isEqualTo(4);
    }

    @Test
    void aRareFilterStopsAfterTheMostRecordsACallReadsAndItsCursorGoesOnFromThere() {
        Job oldest = job(ACME, Operation.FACE_RECON, "scripted");
        jobs(ACME, ListJobs.MOST_READ + 5);
        ListJobs.Query recon = new ListJobs.Query(20, null, null, Operation.FACE_RECON, null, null, null);
        Map<String, Integer> readsBefore = core.bucket.requests();

        ListJobs.Listing first = core.lister.list(ACME, recon);

        assertThat(first.jobs()).isEmpty();
        assertThat(first.next()).as("more to read").isNotNull();
        assertThat(core.bucket.requests().get("GET jobs/") - readsBefore.getOrDefault("GET jobs/", 0))
                .isEqualTo(ListJobs.MOST_READ);
        ListJobs.Listing second = core.lister.list(
                ACME, new ListJobs.Query(20, first.next(), null, Operation.FACE_RECON, null, null, null));
        assertThat(ids(second)).containsExactly(oldest.id());
        assertThat(second.next()).isNull();
    }

    @Test
    void aMarkerWithoutItsRecordOrFromAnotherCreationIsPassedOver() {
        Job kept = job(ACME, Operation.HEAD_SHOT, "scripted");
        Job orphan = kept.toBuilder()
                .id(JobId.random())
                .createdAt(kept.createdAt().plusSeconds(1))
                .build();
        core.bucket.add(orphan); // its record never came
        Job retried =
                kept.toBuilder().createdAt(kept.createdAt().plusSeconds(2)).build();
        core.bucket.add(retried); // a retry's marker: the record was made at another time

        assertThat(ids(core.lister.list(ACME, query(20, null)))).containsExactly(kept.id());
    }

    @Test
    void aRecordThatCouldNotBeCreatedTakesItsMarkerOut() {
        core.bucket.failNextWrite(key -> key.startsWith("jobs/"), MemoryBucket.FaultKind.REFUSE);

        try {
            job(ACME, Operation.HEAD_SHOT, "scripted");
        } catch (IllegalStateException expected) {
            // the injected refusal
        }

        assertThat(core.bucket.keys("tenants/")).isEmpty();
    }

    @Test
    void eachCreatedJobPutsOneMarkerUnderItsTenantsHashedPrefix() {
        Job job = job(ACME, Operation.HEAD_SHOT, "scripted");

        assertThat(core.bucket.keys("tenants/"))
                .containsExactly(Keys.tenantJobs(ACME)
                        + IndexedJob.of(job.createdAt(), job.id()).position() + ".json");
        assertThat(Keys.tenantJobs(ACME)).matches("tenants/[0-9a-f]{64}/jobs/").doesNotContain("acme");
        assertThat(Keys.tenantJobs(Tenant.ANONYMOUS)).isEqualTo("tenants/anonymous/jobs/");
    }
}
