package app.visage.webhooks;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.FindJob;
import app.visage.jobs.Job;
import app.visage.jobs.WebhookToken;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * POST /v1/provider-webhooks/{provider}/{jobId}?token=…. No provider signs its webhooks, so the
 * URL's per-job token is the only proof of origin, and even then the payload is not trusted: the
 * job is confirmed by fetching it from the provider (providers issue). A wrong provider, job or
 * token all answer the same 404, so the endpoint tells a guesser nothing.
 */
@ApplicationScoped
public class ReceiveProviderWebhook {
    private final FindJob findJob;

    public ReceiveProviderWebhook(FindJob findJob) {
        this.findJob = findJob;
    }

    public Job receive(String provider, String jobId, String token) {
        Job job;
        try {
            job = findJob.find(jobId);
        } catch (VisageException e) {
            throw unknown();
        }
        if (!job.provider().equals(provider) | !WebhookToken.matches(token, job.webhookTokenHash())) {
            throw unknown();
        }
        return job;
    }

    private static VisageException unknown() {
        return new VisageException(ErrorCode.NOT_FOUND, "no such job");
    }
}
