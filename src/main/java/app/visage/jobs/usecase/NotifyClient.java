package app.visage.jobs.usecase;

import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.port.ClientWebhookSender;
import app.visage.logs.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Tells the client a job ended, at its {@code webhook} URL: the first attempt as soon as the job
 * ends (the write that ended it woke the worker), retries on Standard Webhooks' schedule by the same wake-ups, 410 stops them, every attempt
 * recorded on the job. Each attempt is claimed on the record first, so racing triggers send it once.
 */
@ApplicationScoped
public class NotifyClient {
    private static final Logger LOG = Logger.getLogger(NotifyClient.class);
    private final JobRecords records;
    private final ClientWebhookSender sender;
    private final OutputLinks links;
    private final Clock clock;

    public NotifyClient(JobRecords records, ClientWebhookSender sender, OutputLinks links, Clock clock) {
        this.records = records;
        this.sender = sender;
        this.links = links;
        this.clock = clock;
    }

    /** Sends the job's webhook if it has one that is due (never sent, or its retry time has come). */
    public void deliverIfDue(Job job) {
        Instant now = clock.instant();
        if (!JobLifecycle.deliveryDue(job, now)) {
            return;
        }
        Optional<Job> claimed = records.apply(job.id(), current -> JobLifecycle.claimDelivery(current, now));
        if (claimed.isEmpty()) {
            return;
        }
        ClientWebhook message = claimed.get().clientWebhook();
        ClientWebhook.Attempt attempt;
        try {
            attempt = new ClientWebhook.Attempt(now, sender.send(links.shown(claimed.get()), message, now), null);
        } catch (ClientWebhookSender.Undeliverable e) {
            attempt = new ClientWebhook.Attempt(now, null, e.getMessage());
        }
        ClientWebhook.Attempt done = attempt;
        double jitter = ThreadLocalRandom.current().nextDouble();
        Optional<Job> after =
                records.apply(job.id(), current -> JobLifecycle.recordDelivery(current, done, jitter, clock.instant()));
        try (LogContext.Scope ignored = LogContext.job(job.id())) {
            // Never the URL: the client's endpoint may carry its own token.
            String state = after.map(j -> j.clientWebhook().state()).orElse("unknown");
            if (done.status() != null && done.status() / 100 == 2) {
                LOG.infof("job %s: client webhook %s answered %d", job.id(), message.messageId(), done.status());
            } else {
                LOG.warnf(
                        "job %s: client webhook %s not delivered (%s), now %s",
                        job.id(),
                        message.messageId(),
                        done.status() != null ? "HTTP " + done.status() : done.error(),
                        state);
            }
        }
    }
}
