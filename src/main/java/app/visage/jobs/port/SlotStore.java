package app.visage.jobs.port;

import app.visage.jobs.model.JobId;
import java.util.Optional;

/**
 * Port: the provider slots, {@code slots/{provider}/{n}.json}, each naming the job that holds it
 * (or none). Writes are conditional, like job records, so two jobs never take one slot.
 */
public interface SlotStore {

    Optional<Slot> read(String provider, int n);

    /** Creates slot {@code n} held by {@code holder}, only if it has never existed. */
    boolean create(String provider, int n, JobId holder);

    /** Hands the slot to {@code holder} (null frees it) if it is still at {@code version}. */
    boolean replace(String provider, int n, JobId holder, String version);

    /** A slot's holder (null when free) and the version a replace must match. */
    record Slot(JobId holder, String version) {}
}
