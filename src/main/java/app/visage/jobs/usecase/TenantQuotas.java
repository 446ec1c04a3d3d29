package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.errors.RateLimited;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.QuotaStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-tenant quotas ({@code visage.quotas.*}) on creating jobs, counted in the bucket by conditional writes so that
 * racing requests in any number of Lambdas admit exactly the limit.
 *
 * <p>Concurrent jobs: numbered slots, like {@link ProviderSlots}, each naming the job that took it. A slot is free
 * when its job has ended (or has no record long after it took the slot: a request that crashed before making it),
 * so nothing has to give a slot back when a job ends, on any of its paths, and a crash never leaks one. Jobs per
 * day: a count per UTC day, raised by compare-and-swap.
 *
 * <p>A request that fails after being admitted without leaving a job (bad input, a refused photo) gives back what
 * it took; a job that was made keeps it.
 */
@ApplicationScoped
public class TenantQuotas {
    /** Retry-After of a request refused for too many jobs not yet ended: about a short job's length. */
    static final long CONCURRENT_RETRY_AFTER_SECONDS = 5;
    /**
     * How long a slot's job may have no record before the slot counts as free: far longer than a request takes
     * between taking the slot and writing the record.
     */
    static final Duration UNRECORDED_GRACE = Duration.ofMinutes(2);

    private static final int MAX_ATTEMPTS = 32;

    private final QuotaStore store;
    private final JobRecords records;
    private final VisageConfig.Quotas config;
    private final Clock clock;

    public TenantQuotas(QuotaStore store, JobRecords records, VisageConfig config, Clock clock) {
        this.store = store;
        this.records = records;
        this.config = config.quotas();
        this.clock = clock;
    }

    /**
     * Runs {@code create} (which makes job {@code job}) if the tenant is within its quotas, else refuses it with
     * 429 rate_limited before anything is stored.
     */
    public <T> T admit(Tenant tenant, JobId job, Supplier<T> create) {
        Optional<Integer> concurrent =
                limit(tenant, VisageConfig.TenantQuota::maxConcurrentJobs, config.maxConcurrentJobs());
        Optional<Integer> perDay = limit(tenant, VisageConfig.TenantQuota::maxJobsPerDay, config.maxJobsPerDay());
        if (concurrent.isEmpty() && perDay.isEmpty()) {
            return create.get();
        }
        Optional<Integer> slot = concurrent.map(max -> takeSlot(tenant, job, max));
        Optional<LocalDate> counted = Optional.empty();
        try {
            counted = perDay.map(max -> count(tenant, max));
            return create.get();
        } catch (RuntimeException e) {
            if (records.find(job).isEmpty()) {
                slot.ifPresent(n -> freeSlot(tenant, n, job));
                counted.ifPresent(day -> uncount(tenant, day));
            }
            throw e;
        }
    }

    /** The tenant's own limit if it has one, else {@code fallback}, the default. */
    private Optional<Integer> limit(
            Tenant tenant, Function<VisageConfig.TenantQuota, Optional<Integer>> own, Optional<Integer> fallback) {
        Optional<Integer> set =
                Optional.ofNullable(tenant.id()).map(config.tenants()::get).flatMap(own);
        return set.isPresent() ? set : fallback;
    }

    private int takeSlot(Tenant tenant, JobId job, int max) {
        Instant now = clock.instant();
        for (int n = 0; n < max; n++) {
            Optional<QuotaStore.Hold> hold = store.readSlot(tenant, n);
            boolean taken = hold.isEmpty()
                    ? store.createSlot(tenant, n, job, now)
                    : isFree(hold.get(), job, now)
                            && store.replaceSlot(tenant, n, job, now, hold.get().version());
            if (taken) {
                return n;
            }
        }
        throw new RateLimited(
                "this tenant has " + max + " jobs not yet ended, its limit; retry when one ends",
                CONCURRENT_RETRY_AFTER_SECONDS);
    }

    private boolean isFree(QuotaStore.Hold hold, JobId asking, Instant now) {
        if (hold.holder() == null || hold.holder().equals(asking)) {
            return true;
        }
        return records.find(hold.holder())
                .map(holder -> holder.status().isFinal())
                .orElseGet(() -> hold.since().plus(UNRECORDED_GRACE).isBefore(now));
    }

    private void freeSlot(Tenant tenant, int n, JobId job) {
        store.readSlot(tenant, n)
                .filter(hold -> job.equals(hold.holder()))
                .ifPresent(hold -> store.replaceSlot(tenant, n, null, hold.since(), hold.version()));
    }

    private LocalDate count(Tenant tenant, int max) {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<QuotaStore.Count> count = store.readDay(tenant, day);
            int jobs = count.map(QuotaStore.Count::jobs).orElse(0);
            if (jobs >= max) {
                throw new RateLimited(
                        "this tenant created " + max + " jobs today (UTC), its limit; retry after midnight UTC",
                        secondsToMidnight(now, day));
            }
            boolean counted = count.isEmpty()
                    ? store.createDay(tenant, day, 1)
                    : store.replaceDay(tenant, day, jobs + 1, count.get().version());
            if (counted) {
                return day;
            }
        }
        throw new RateLimited("too many requests of this tenant at once; retry in a second", 1);
    }

    private void uncount(Tenant tenant, LocalDate day) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<QuotaStore.Count> count = store.readDay(tenant, day).filter(c -> c.jobs() > 0);
            if (count.isEmpty()
                    || store.replaceDay(
                            tenant, day, count.get().jobs() - 1, count.get().version())) {
                return;
            }
        }
    }

    private static long secondsToMidnight(Instant now, LocalDate day) {
        Instant midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return Math.max(1, (Duration.between(now, midnight).toMillis() + 999) / 1000);
    }
}
