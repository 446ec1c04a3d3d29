package app.visage.jobs.usecase;

import app.visage.jobs.model.JobId;
import app.visage.logs.LogContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The worker's half of a provider webhook: asks the provider about the job the webhook named, and records what
 * it answers (copying the outputs of a finished job). A job that has moved on since is left as it is.
 */
@ApplicationScoped
public class ConfirmWebhook {
    private final JobRecords records;
    private final PollJob poller;

    public ConfirmWebhook(JobRecords records, PollJob poller) {
        this.records = records;
        this.poller = poller;
    }

    public void confirm(JobId id, String providerJobId) {
        try (LogContext.Scope ignored = LogContext.job(id)) {
            records.find(id)
                    .filter(ReceiveProviderWebhook::awaitsProvider)
                    .ifPresent(job -> poller.confirm(
                            job,
                            job.dispatch().providerJobId() != null
                                    ? job.dispatch().providerJobId()
                                    : providerJobId));
        }
    }
}
