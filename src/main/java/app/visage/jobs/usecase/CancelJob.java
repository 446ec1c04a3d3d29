package app.visage.jobs.usecase;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * POST /v1/jobs/{id}/cancel: a queued or processing job becomes canceled; a job that has already
 * ended is answered as it is (cancel is idempotent), never resurrected.
 */
@ApplicationScoped
public class CancelJob {
    private final JobRecords records;
    private final FindJob findJob;
    private final NotifyClient notifier;
    private final OutputLinks links;
    private final Clock clock;

    public CancelJob(JobRecords records, FindJob findJob, NotifyClient notifier, OutputLinks links, Clock clock) {
        this.records = records;
        this.findJob = findJob;
        this.notifier = notifier;
        this.links = links;
        this.clock = clock;
    }

    /** Cancels the tenant's job and shows it; another tenant's job is not found, and is left as it is. */
    public ShownJob cancel(String id, Tenant tenant) {
        JobId jobId = findJob.find(id, tenant).id(); // the tenant never changes, so checking it once is enough
        Optional<Job> canceled;
        try {
            canceled = records.apply(jobId, job -> JobLifecycle.cancel(job, clock.instant()));
        } catch (JobRecords.MissingJob e) {
            throw FindJob.noSuchJob();
        }
        if (canceled.isEmpty()) {
            return links.shown(records.find(jobId).orElseThrow(FindJob::noSuchJob));
        }
        notifier.afterLastWrite(canceled.get());
        return links.shown(canceled.get());
    }
}
