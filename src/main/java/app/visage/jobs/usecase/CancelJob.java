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
 * ended is answered as it is (cancel is idempotent), never resurrected. A canceled job's provider slot is
 * freed at once, for the next job in line.
 */
@ApplicationScoped
public class CancelJob {
    private final JobRecords records;
    private final FindJob findJob;
    private final OutputLinks links;
    private final Providers providers;
    private final ProviderSlots slots;
    private final Clock clock;

    public CancelJob(
            JobRecords records,
            FindJob findJob,
            OutputLinks links,
            Providers providers,
            ProviderSlots slots,
            Clock clock) {
        this.records = records;
        this.findJob = findJob;
        this.links = links;
        this.providers = providers;
        this.slots = slots;
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
        Job job = canceled.get();
        slots.release(providers.get(job.provider()), job.id(), job.dispatch().slot());
        return links.shown(job);
    }
}
