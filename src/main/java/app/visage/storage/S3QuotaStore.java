package app.visage.storage;

import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.QuotaStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** The tenants' quota documents under {@code quotas/}, written through {@link ConditionalWrites}. */
@ApplicationScoped
public class S3QuotaStore implements QuotaStore {
    private final ConditionalWrites writes;

    public S3QuotaStore(ConditionalWrites writes) {
        this.writes = writes;
    }

    @Override
    public Optional<Hold> readSlot(Tenant tenant, int n) {
        String key = Keys.quotaSlot(tenant, n);
        return writes.read(key).map(found -> {
            StoredQuotaSlot slot = StoredQuotaSlot.FORMAT.read(found.body(), key);
            return new Hold(slot.holder(), slot.since(), found.version());
        });
    }

    @Override
    public boolean createSlot(Tenant tenant, int n, JobId holder, Instant since) {
        return writes.create(Keys.quotaSlot(tenant, n), slot(holder, since)).isPresent();
    }

    @Override
    public boolean replaceSlot(Tenant tenant, int n, JobId holder, Instant since, String version) {
        return writes.replace(Keys.quotaSlot(tenant, n), slot(holder, since), version)
                .isPresent();
    }

    @Override
    public Optional<Count> readDay(Tenant tenant, LocalDate day) {
        String key = Keys.quotaDay(tenant, day);
        return writes.read(key)
                .map(found ->
                        new Count(StoredQuotaDay.FORMAT.read(found.body(), key).jobs(), found.version()));
    }

    @Override
    public boolean createDay(Tenant tenant, LocalDate day, int jobs) {
        return writes.create(Keys.quotaDay(tenant, day), StoredQuotaDay.FORMAT.write(StoredQuotaDay.of(jobs)))
                .isPresent();
    }

    @Override
    public boolean replaceDay(Tenant tenant, LocalDate day, int jobs, String version) {
        return writes.replace(Keys.quotaDay(tenant, day), StoredQuotaDay.FORMAT.write(StoredQuotaDay.of(jobs)), version)
                .isPresent();
    }

    private static byte[] slot(JobId holder, Instant since) {
        return StoredQuotaSlot.FORMAT.write(StoredQuotaSlot.of(holder, since));
    }
}
