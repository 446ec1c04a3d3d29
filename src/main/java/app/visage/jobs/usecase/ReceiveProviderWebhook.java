package app.visage.jobs.usecase;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.WebhookToken;
import app.visage.jobs.model.Work;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * POST /v1/provider-webhooks/{provider}/{jobId}?token=…. No provider signs its webhooks, so the
 * URL's per-job token is the only proof of origin, and even then the body is not trusted: it only
 * says which provider job to ask about (when the start call has not answered yet), and the job is
 * finished from what the provider answers to a fetch, by the worker. Duplicate, late and early webhooks therefore
 * change nothing. A wrong provider, job or token all answer the same 404.
 */
@ApplicationScoped
public class ReceiveProviderWebhook {
    private static final Logger LOG = Logger.getLogger(ReceiveProviderWebhook.class);
    private final FindJob findJob;
    private final Providers providers;
    private final WorkSchedule schedule;
    private final Clock clock;

    public ReceiveProviderWebhook(FindJob findJob, Providers providers, WorkSchedule schedule, Clock clock) {
        this.findJob = findJob;
        this.providers = providers;
        this.schedule = schedule;
        this.clock = clock;
    }

    public Job receive(String provider, String jobId, String token, byte[] body) {
        Job job;
        try {
            job = findJob.find(jobId);
        } catch (VisageException e) {
            throw unknown(provider);
        }
        if (!job.provider().equals(provider) | !WebhookToken.matches(token, job.webhookTokenHash())) {
            throw unknown(provider);
        }
        LOG.debugf("job %s: webhook from %s", job.id(), provider);
        if (!awaitsProvider(job)) {
            return job;
        }
        Optional<String> providerJobId = Optional.ofNullable(job.dispatch().providerJobId())
                .or(() -> providers.get(provider).webhookJobId(body));
        // Confirming means asking the provider and copying its outputs, which can take a minute: the worker does
        // it, and the provider has its answer now.
        providerJobId.ifPresent(id -> schedule.send(Work.confirm(job.id(), id, clock.instant())));
        return job;
    }

    /** At the provider, or being started (a webhook may beat the start call's answer). */
    static boolean awaitsProvider(Job job) {
        return job.status() == JobStatus.PROCESSING
                || job.status() == JobStatus.QUEUED && job.dispatch().claimed();
    }

    /** Worth a warning (a guesser, or a misrouted provider), but never with the token or the job tried. */
    private static VisageException unknown(String provider) {
        LOG.warnf(
                "refused a webhook for provider %s: unknown job, other provider or wrong token",
                provider.length() <= 40 ? provider : provider.substring(0, 40));
        return new VisageException(ErrorCode.NOT_FOUND, "no such job");
    }
}
