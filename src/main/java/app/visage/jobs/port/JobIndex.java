package app.visage.jobs.port;

import app.visage.jobs.model.IndexedJob;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.Tenant;
import java.util.List;

/**
 * Port: each tenant's index of its jobs, newest first ({@code tenants/{hash}/jobs/}, see {@link IndexedJob}): a
 * marker per job, written when its record is created and gone with it (the bucket's lifecycle deletes both after
 * the record retention). GET /v1/jobs reads it in key order instead of scanning every record.
 */
public interface JobIndex {

    /** Puts the job's marker in its tenant's index. */
    void add(Job job);

    /** Takes the job's marker out (a record whose creation failed). */
    void remove(Job job);

    /**
     * At most {@code max} of the tenant's positions, newest first, after {@code after} (a position or a bound such as
     * {@link IndexedJob#before}; null: from the newest); {@code more} when the index goes on past them.
     */
    Page page(Tenant tenant, String after, int max);

    record Page(List<IndexedJob> jobs, boolean more) {}
}
