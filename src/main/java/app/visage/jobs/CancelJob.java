package app.visage.jobs;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * POST /v1/jobs/{id}/cancel: a queued or processing job becomes canceled; a job that has already
 * ended is answered as it is (cancel is idempotent), never resurrected.
 */
@ApplicationScoped
public class CancelJob {
    private final JobRecords records;
    private final Clock clock;

    public CancelJob(JobRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    public Job cancel(String id) {
        JobId jobId = JobId.of(id);
        try {
            return records.transition(jobId, JobStatus.CANCELED, job -> job.moveTo(JobStatus.CANCELED, clock.instant()))
                    .orElseGet(() -> records.find(jobId).orElseThrow());
        } catch (JobRecords.MissingJob e) {
            throw new VisageException(ErrorCode.NOT_FOUND, "no such job");
        }
    }
}
