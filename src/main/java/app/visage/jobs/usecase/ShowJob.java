package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.model.Work;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * GET /v1/jobs/{id}: the tenant's job with its outputs' links. It never waits on a provider: a job whose
 * wake-up is overdue (its poll, say) gets a wake-up now, and the answer is the record as it stands.
 */
@ApplicationScoped
public class ShowJob {
    /** How late a wake-up may be before a status call sends another (the first may have been lost). */
    static final Duration OVERDUE = Duration.ofSeconds(5);

    private final FindJob findJob;
    private final OutputLinks links;
    private final WorkSchedule schedule;
    private final QueuePositions positions;
    private final VisageConfig config;
    private final Clock clock;

    public ShowJob(
            FindJob findJob,
            OutputLinks links,
            WorkSchedule schedule,
            QueuePositions positions,
            VisageConfig config,
            Clock clock) {
        this.findJob = findJob;
        this.links = links;
        this.schedule = schedule;
        this.positions = positions;
        this.config = config;
        this.clock = clock;
    }

    public ShownJob show(String id, Tenant tenant) {
        Job job = findJob.find(id, tenant);
        Instant now = clock.instant();
        JobLifecycle.nextWake(job, config.processingDeadline())
                .filter(at -> at.isBefore(now.minus(OVERDUE)))
                .ifPresent(at -> schedule.send(Work.wake(job.id(), now)));
        return links.shown(job).withQueuePosition(positions.lookup().of(job));
    }
}
