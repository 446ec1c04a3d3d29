package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import app.visage.errors.ErrorCode;
import app.visage.errors.RateLimited;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.QuotaStore;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The counting of per-tenant quotas on the in-memory bucket, whose conditional writes are S3's. */
class TenantQuotasTest {
    private static final Tenant ACME = new Tenant("acme");
    private static final Tenant GLOBEX = new Tenant("globex");

    private final Core core = new Core();

    private TenantQuotas quotas(Map<String, String> settings) {
        return new TenantQuotas(core.bucket, core.records, Core.config(settings), core.clock);
    }

    /** Admits a job of {@code tenant} that {@code create} makes. */
    private Job admit(TenantQuotas quotas, Tenant tenant) {
        JobId id = JobId.random();
        return quotas.admit(tenant, id, () -> created(id, tenant));
    }

    private Job created(JobId id, Tenant tenant) {
        return core.recordedJob(id, tenant, Operation.HEAD_SHOT, core.provider.id());
    }

    private RateLimited refused(TenantQuotas quotas, Tenant tenant) {
        JobId id = JobId.random();
        AtomicReference<Boolean> ran = new AtomicReference<>(false);
        RateLimited refused = (RateLimited) catchThrowable(() -> quotas.admit(tenant, id, () -> ran.getAndSet(true)));
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(ran.get()).as("nothing is made once refused").isFalse();
        return refused;
    }

    private int countedToday(Tenant tenant) {
        return core.bucket
                .readDay(tenant, LocalDate.ofInstant(core.clock.instant(), ZoneOffset.UTC))
                .map(QuotaStore.Count::jobs)
                .orElse(0);
    }

    @Test
    void withoutLimitsNothingIsReadOrWrittenInTheBucket() {
        TenantQuotas unlimited = quotas(Map.of());
        Map<String, Integer> before = core.bucket.requests();
        assertThat(unlimited.admit(ACME, JobId.random(), () -> "made")).isEqualTo("made");
        assertThat(core.bucket.requests()).isEqualTo(before);
    }

    @Test
    void jobsNotYetEndedAreLimitedPerTenantAndAnEndedOneFreesItsSlot() {
        TenantQuotas quotas = quotas(Map.of("visage.quotas.max-concurrent-jobs", "2"));
        Job first = admit(quotas, ACME);
        admit(quotas, ACME);
        assertThat(refused(quotas, ACME).retryAfterSeconds()).isEqualTo(TenantQuotas.CONCURRENT_RETRY_AFTER_SECONDS);
        admit(quotas, GLOBEX);

        core.canceler.cancel(first.id().value(), ACME);
        admit(quotas, ACME);
        refused(quotas, ACME);
    }

    @Test
    void aTenantsOwnLimitOverridesTheDefault() {
        TenantQuotas quotas = quotas(Map.of(
                "visage.quotas.max-concurrent-jobs", "1",
                "visage.quotas.tenants.\"globex\".max-concurrent-jobs", "3"));
        admit(quotas, ACME);
        refused(quotas, ACME);
        for (int i = 0; i < 3; i++) {
            admit(quotas, GLOBEX);
        }
        refused(quotas, GLOBEX);
    }

    @Test
    void aRequestRefusedForAnotherReasonGivesBackItsSlotAndItsCount() {
        TenantQuotas quotas =
                quotas(Map.of("visage.quotas.max-concurrent-jobs", "1", "visage.quotas.max-jobs-per-day", "5"));
        assertThatThrownBy(() -> quotas.admit(ACME, JobId.random(), () -> {
                    throw new VisageException(ErrorCode.INVALID_PARAM, "bad width");
                }))
                .isInstanceOf(VisageException.class)
                .hasMessage("bad width");
        assertThat(countedToday(ACME)).isZero();
        admit(quotas, ACME);
        assertThat(countedToday(ACME)).isOne();
    }

    @Test
    void aJobMadeBeforeAFailureKeepsItsSlot() {
        TenantQuotas quotas = quotas(Map.of("visage.quotas.max-concurrent-jobs", "1"));
        JobId id = JobId.random();
        assertThatThrownBy(() -> quotas.admit(ACME, id, () -> {
                    created(id, ACME);
                    throw new IllegalStateException("lost after the record was made");
                }))
                .isInstanceOf(IllegalStateException.class);
        refused(quotas, ACME);
    }

    @Test
    void aSlotLeftByACrashBeforeTheRecordIsFreeAfterTheGrace() {
        TenantQuotas quotas = quotas(Map.of("visage.quotas.max-concurrent-jobs", "1"));
        core.bucket.createSlot(ACME, 0, JobId.random(), core.clock.instant());
        refused(quotas, ACME);
        core.clock.advance(TenantQuotas.UNRECORDED_GRACE.plusSeconds(1));
        admit(quotas, ACME);
    }

    @Test
    void theDailyLimitSaysToRetryAtMidnightUtcAndANewDayStartsAfresh() {
        TenantQuotas quotas = quotas(Map.of("visage.quotas.max-jobs-per-day", "2"));
        admit(quotas, ACME);
        admit(quotas, ACME);
        // Core's clock starts at 10:00 UTC: 14 hours to midnight.
        assertThat(refused(quotas, ACME).retryAfterSeconds())
                .isEqualTo(Duration.ofHours(14).toSeconds());
        admit(quotas, GLOBEX);
        core.clock.advance(Duration.ofHours(14));
        admit(quotas, ACME);
        assertThat(countedToday(ACME)).isOne();
    }

    @Test
    void racingCountsOfOneDayAreEachCountedOnce() {
        TenantQuotas quotas = quotas(Map.of("visage.quotas.max-jobs-per-day", "2"));
        admit(quotas, ACME);
        // Another request counts between this one's read of the count and its write: this one's write fails its
        // condition, and on reading again it finds the limit reached.
        core.bucket.beforeWrite(
                key -> key.equals(Keys.quotaDay(ACME, LocalDate.ofInstant(core.clock.instant(), ZoneOffset.UTC))),
                () -> admit(quotas, ACME));
        refused(quotas, ACME);
        assertThat(countedToday(ACME)).isEqualTo(2);
    }

    @Test
    void racingRequestsForOneSlotLeaveOneHolder() {
        TenantQuotas quotas = quotas(Map.of("visage.quotas.max-concurrent-jobs", "1"));
        // Another request takes slot 0 between this one's read of it and its create.
        core.bucket.beforeWrite(key -> key.equals(Keys.quotaSlot(ACME, 0)), () -> admit(quotas, ACME));
        refused(quotas, ACME);
        assertThat(core.bucket.readSlot(ACME, 0)).isPresent();
    }
}
