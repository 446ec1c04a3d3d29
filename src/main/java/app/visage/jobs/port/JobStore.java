package app.visage.jobs.port;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import java.util.List;
import java.util.Optional;

/** Port: where job records live. Writes are conditional so that racing writers never both win. */
public interface JobStore {

    /** Creates the record only if none exists for its id; answers its version (empty if the store gave none). */
    String create(Job job) throws AlreadyExists;

    Optional<Versioned> find(JobId id);

    /**
     * Replaces the record only if it is still at {@code version}: answers the new version (empty if the store
     * gave none), or nothing when someone else wrote first (or the record is gone).
     */
    Optional<String> replace(Job job, String version);

    /** One page of job ids in key order, after {@code startAfter} (null for the first page). */
    Page list(String startAfter, int max);

    record Versioned(Job job, String version) {}

    record Page(List<JobId> ids, String next) {}

    final class AlreadyExists extends RuntimeException {
        public AlreadyExists(JobId id) {
            super("job record exists: " + id);
        }
    }
}
