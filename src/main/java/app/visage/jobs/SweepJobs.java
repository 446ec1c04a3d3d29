package app.visage.jobs;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The scheduled sweep: deletes what is past its TTL and marks those jobs expired, fails uploads
 * that never came and jobs stuck in processing, restarts jobs a crash left queued, and removes
 * objects that belong to no live job.
 */
@ApplicationScoped
public class SweepJobs {
    private static final Logger LOG = Logger.getLogger(SweepJobs.class);
    private static final int PAGE = 500;
    /** A queued job with its photo in place is normally started within a second; this one was not. */
    private static final Duration STALLED_START = Duration.ofMinutes(2);

    private final JobRecords records;
    private final JobStore store;
    private final FileStore files;
    private final RunJob runner;
    private final VisageConfig config;
    private final Clock clock;

    public SweepJobs(JobRecords records, JobStore store, FileStore files, RunJob runner, VisageConfig config,
            Clock clock) {
        this.records = records;
        this.store = store;
        this.files = files;
        this.runner = runner;
        this.config = config;
        this.clock = clock;
    }

    public Summary sweep() {
        Instant now = clock.instant();
        Summary summary = new Summary();
        String after = null;
        do {
            JobStore.Page page = store.list(after, PAGE);
            for (JobId id : page.ids()) {
                try {
                    records.find(id).ifPresent(job -> sweepJob(job, now, summary));
                } catch (RuntimeException e) {
                    // One bad record must not stop the sweep of the others; the next run retries it.
                    LOG.errorf(e, "sweep of job %s failed", id);
                    summary.errors++;
                }
            }
            after = page.next();
        } while (after != null);
        summary.orphansDeleted = deleteOldObjects(now);
        return summary;
    }

    private void sweepJob(Job job, Instant now, Summary summary) {
        if (job.status().isTerminal() && !now.isBefore(job.expiresAt())) {
            deleteObjectsOf(job.id());
            records.transition(job.id(), JobStatus.EXPIRED, j -> j.expired(now)).ifPresent(j -> summary.expired++);
        } else if (job.status() == JobStatus.QUEUED && job.input() == null && job.upload() != null
                && now.isAfter(job.upload().expiresAt())) {
            records.transition(job.id(), JobStatus.FAILED, j -> j.failed(JobError.of(ErrorCode.EXPIRED,
                    "no photo was uploaded before the upload URL expired"), now)).ifPresent(j -> summary.failed++);
        } else if (job.status() == JobStatus.QUEUED && job.input() != null
                && now.isAfter(job.updatedAt().plus(STALLED_START))) {
            runner.run(job.id());
            summary.restarted++;
        } else if (job.status() == JobStatus.PROCESSING
                && now.isAfter(job.updatedAt().plus(config.processingDeadline()))) {
            records.transition(job.id(), JobStatus.FAILED, j -> j.failed(JobError.of(ErrorCode.PROVIDER_TIMEOUT,
                    "the " + j.provider() + " provider did not finish in time"), now)).ifPresent(j -> summary.failed++);
        }
    }

    private void deleteObjectsOf(JobId id) {
        List<String> keys = new ArrayList<>();
        for (String prefix : Keys.prefixes(id)) {
            files.list(prefix).forEach(o -> keys.add(o.key()));
        }
        files.delete(keys);
    }

    /** Objects older than the TTL are past any job's life, whether or not a record points at them. */
    private int deleteOldObjects(Instant now) {
        Instant cutoff = now.minus(config.ttl());
        List<String> keys = new ArrayList<>();
        for (String prefix : List.of(Keys.INPUTS, Keys.UPLOADS, Keys.OUTPUTS)) {
            files.list(prefix).stream().filter(o -> o.lastModified().isBefore(cutoff)).forEach(o -> keys.add(o.key()));
        }
        files.delete(keys);
        return keys.size();
    }

    /** What one sweep did: the cleanup function's answer. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public static final class Summary {
        public int expired;
        public int failed;
        public int restarted;
        public int orphansDeleted;
        public int errors;
    }
}
