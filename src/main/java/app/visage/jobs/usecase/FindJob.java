package app.visage.jobs.usecase;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Tenant;
import jakarta.enterprise.context.ApplicationScoped;

/** GET /v1/jobs/{id}: the record, refreshed from the provider when a poll is due. */
@ApplicationScoped
public class FindJob {
    private final JobRecords records;
    private final PollJob poller;

    public FindJob(JobRecords records, PollJob poller) {
        this.records = records;
        this.poller = poller;
    }

    public Job find(String id) {
        return records.find(JobId.of(id)).orElseThrow(FindJob::noSuchJob);
    }

    /** The tenant's job; another tenant's job is answered exactly as one that does not exist. */
    public Job find(String id, Tenant tenant) {
        return records.find(JobId.of(id)).filter(tenant::owns).orElseThrow(FindJob::noSuchJob);
    }

    /** The tenant's job, after asking its provider if a result is overdue (its webhook may never come). */
    public Job findFresh(String id, Tenant tenant) {
        return poller.pollIfDue(find(id, tenant));
    }

    static VisageException noSuchJob() {
        return new VisageException(ErrorCode.NOT_FOUND, "no such job");
    }
}
