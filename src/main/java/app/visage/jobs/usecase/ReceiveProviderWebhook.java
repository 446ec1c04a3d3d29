package app.visage.jobs.usecase;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.WebhookToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * POST /v1/provider-webhooks/{provider}/{jobId}?token=…. No provider signs its webhooks, so the
 * URL's per-job token is the only proof of origin, and even then the body is not trusted: it only
 * says which provider job to ask about (when the start call has not answered yet), and the job is
 * finished from what the provider answers to a fetch. Duplicate, late and early webhooks therefore
 * change nothing. A wrong provider, job or token all answer the same 404.
 */
@ApplicationScoped
public class ReceiveProviderWebhook {
    private static final Logger LOG = Logger.getLogger(ReceiveProviderWebhook.class);
    private final FindJob findJob;
    private final Providers providers;
    private final PollJob poller;

    public ReceiveProviderWebhook(FindJob findJob, Providers providers, PollJob poller) {
        this.findJob = findJob;
        this.providers = providers;
        this.poller = poller;
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
        return providerJobId.map(id -> poller.confirm(job, id)).orElse(job);
    }

    /** At the provider, or being started (a webhook may beat the start call's answer). */
    private static boolean awaitsProvider(Job job) {
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
