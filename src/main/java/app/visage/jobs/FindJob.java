package app.visage.jobs;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import jakarta.enterprise.context.ApplicationScoped;

/** GET /v1/jobs/{id}. */
@ApplicationScoped
public class FindJob {
    private final JobRecords records;

    public FindJob(JobRecords records) {
        this.records = records;
    }

    public Job find(String id) {
        return records.find(JobId.of(id)).orElseThrow(() -> new VisageException(ErrorCode.NOT_FOUND, "no such job"));
    }
}
