package app.visage.jobs.usecase;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Tenant;
import jakarta.enterprise.context.ApplicationScoped;

/** A job by the id a request named. */
@ApplicationScoped
public class FindJob {
    private final JobRecords records;

    public FindJob(JobRecords records) {
        this.records = records;
    }

    public Job find(String id) {
        return records.find(JobId.of(id)).orElseThrow(FindJob::noSuchJob);
    }

    /** The tenant's job; another tenant's job is answered exactly as one that does not exist. */
    public Job find(String id, Tenant tenant) {
        return records.find(JobId.of(id)).filter(tenant::owns).orElseThrow(FindJob::noSuchJob);
    }

    static VisageException noSuchJob() {
        return new VisageException(ErrorCode.NOT_FOUND, "no such job");
    }
}
