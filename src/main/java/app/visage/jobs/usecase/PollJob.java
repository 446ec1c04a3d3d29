package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.port.Metrics;
import app.visage.jobs.port.Provider;
import app.visage.logs.LogContext;
import app.visage.logs.LoggableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Asks the provider about a processing job whose webhook has not come (yet): when its next poll
 * is due, with back-off between polls. The poll is claimed on the record first, so duplicate wake-ups
 * (the queue delivers at least once) ask the provider once per due time. A job whose provider already
 * answered for good (a synchronous one, whose copier died) is finished from the answer on its record.
 */
@ApplicationScoped
public class PollJob {
    private static final Logger LOG = Logger.getLogger(PollJob.class);

    private final JobRecords records;
    private final Providers providers;
    private final ProviderOutcomes outcomes;
    private final VisageConfig config;
    private final Metrics metrics;
    private final Clock clock;

    public PollJob(
            JobRecords records,
            Providers providers,
            ProviderOutcomes outcomes,
            VisageConfig config,
            Metrics metrics,
            Clock clock) {
        this.records = records;
        this.providers = providers;
        this.outcomes = outcomes;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Polls if due; answers the job as it stands afterwards. */
    public Job pollIfDue(Job job) {
        Instant now = clock.instant();
        if (!JobLifecycle.pollDue(job, now)) {
            return job;
        }
        Optional<Job> claimed =
                records.apply(job.id(), current -> JobLifecycle.claimPoll(current, now, config.pollInterval()));
        if (claimed.isEmpty()) {
            return records.find(job.id()).orElse(job);
        }
        Provider provider = providers.get(job.provider());
        String providerJobId = claimed.get().dispatch().providerJobId();
        return outcomes.afterFetch(claimed.get(), provider, providerJobId, ask(provider, claimed.get(), providerJobId));
    }

    /**
     * Confirms with the provider what a webhook said of {@code providerJobId}; a job whose provider's final answer
     * is recorded (its outputs being copied) is finished from that answer instead.
     */
    public Job confirm(Job job, String providerJobId) {
        Provider provider = providers.get(job.provider());
        return outcomes.afterFetch(job, provider, providerJobId, ask(provider, job, providerJobId));
    }

    /** A recorded answer is the provider's last word (the job only lacks its outputs); else the provider is asked. */
    private ProviderOutcome ask(Provider provider, Job job, String providerJobId) {
        return job.dispatch().answer() != null
                ? job.dispatch().answer().outcome()
                : fetch(provider, job.id(), providerJobId);
    }

    private ProviderOutcome fetch(Provider provider, JobId id, String providerJobId) {
        long started = System.nanoTime();
        ProviderOutcome outcome;
        try (LogContext.Scope ignored = LogContext.job(id)) {
            LOG.debugf("asking %s about job %s", provider.id(), id);
            outcome = provider.fetch(providerJobId);
        } catch (RuntimeException e) {
            LOG.errorf(LoggableException.of(e), "job %s: asking %s failed unexpectedly", id, provider.id());
            outcome = new ProviderOutcome.Transient("asking the provider failed", null);
        }
        metrics.providerCall(provider.id(), Duration.ofNanos(System.nanoTime() - started), outcome.providerFault());
        return outcome;
    }
}
