package app.visage.jobs.usecase;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * {@code Prefer: wait} on POST /v1/jobs: the job's record read again and again until the job ends or the time is
 * up; no provider is asked (the worker, the engine or a webhook ends the job meanwhile). Reads start 100 ms apart and
 * back off to 1 s: at most about 30 GETs for a 25 s wait.
 */
@ApplicationScoped
public class AwaitJob {
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long LONGEST_PAUSE_MILLIS = 1000;

    private final FindJob findJob;
    private final OutputLinks links;

    public AwaitJob(FindJob findJob, OutputLinks links) {
        this.findJob = findJob;
        this.links = links;
    }

    /** The ended job, shown; empty when it has not ended by {@code deadlineNanos} ({@link System#nanoTime}). */
    public Optional<ShownJob> awaitEnd(String id, Tenant tenant, long deadlineNanos) {
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            Job job = findJob.find(id, tenant);
            if (job.status().isFinal()) {
                return Optional.of(links.shown(job));
            }
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
        }
    }
}
