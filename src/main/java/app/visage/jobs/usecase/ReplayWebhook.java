package app.visage.jobs.usecase;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * POST /v1/jobs/{id}/webhook/retry: the last event sent to the job's webhook goes out again, with the same
 * {@code webhook-id} (receivers dedupe by it), a new timestamp and signature, on a fresh round of the retry
 * schedule; the worker sends it, woken by the write. Asked again before that round's first attempt, or while an
 * attempt is in flight, it changes nothing: racing replays send one round.
 */
@ApplicationScoped
public class ReplayWebhook {
    private final JobRecords records;
    private final FindJob findJob;
    private final OutputLinks links;
    private final Clock clock;

    public ReplayWebhook(JobRecords records, FindJob findJob, OutputLinks links, Clock clock) {
        this.records = records;
        this.findJob = findJob;
        this.links = links;
        this.clock = clock;
    }

    /** Replays the tenant's job's last event and shows the job; another tenant's job is not found. */
    public ShownJob replay(String id, Tenant tenant) {
        Job found = findJob.find(id, tenant);
        // Both facts only ever become true: what the record said here still holds when the replay is written.
        if (found.webhook() == null) {
            throw new VisageException(ErrorCode.WEBHOOK_NOT_SENT, "the job has no webhook");
        }
        if (JobLifecycle.lastSent(found).isEmpty()) {
            throw new VisageException(
                    ErrorCode.WEBHOOK_NOT_SENT, "no event of the job was sent to its webhook yet: nothing to replay");
        }
        JobId jobId = found.id();
        try {
            return links.shown(records.apply(jobId, job -> JobLifecycle.replayWebhook(job, clock.instant()))
                    .orElseGet(() -> records.find(jobId).orElseThrow(FindJob::noSuchJob)));
        } catch (JobRecords.MissingJob e) {
            throw FindJob.noSuchJob();
        }
    }
}
