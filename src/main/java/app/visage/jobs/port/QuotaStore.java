package app.visage.jobs.port;

import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Tenant;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Port: the tenants' quota documents ({@link app.visage.jobs.model.Keys#quotaSlot}, {@link
 * app.visage.jobs.model.Keys#quotaDay}). Writes are conditional, like job records: create only if absent, replace
 * only if still at the version read, so racing requests never both take one slot or one count.
 */
public interface QuotaStore {

    Optional<Hold> readSlot(Tenant tenant, int n);

    /** Creates slot {@code n} held by {@code holder} since {@code since}, only if it has never existed. */
    boolean createSlot(Tenant tenant, int n, JobId holder, Instant since);

    /** Hands the slot to {@code holder} (null frees it) if it is still at {@code version}. */
    boolean replaceSlot(Tenant tenant, int n, JobId holder, Instant since, String version);

    Optional<Count> readDay(Tenant tenant, LocalDate day);

    /** Creates the day's count, only if it does not exist yet. */
    boolean createDay(Tenant tenant, LocalDate day, int jobs);

    /** Sets the day's count if it is still at {@code version}. */
    boolean replaceDay(Tenant tenant, LocalDate day, int jobs, String version);

    /** A slot's holder (null when free), since when, and the version a replace must match. */
    record Hold(JobId holder, Instant since, String version) {}

    /** Jobs created that day, and the version a replace must match. */
    record Count(int jobs, String version) {}
}
