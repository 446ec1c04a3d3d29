package app.visage.jobs.usecase;

import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.port.ClientWebhookSender;
import app.visage.jobs.port.Metrics;
import app.visage.logs.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Tells the client what became of a job, at its {@code webhook} URL: each event it asked for, in order, the first
 * attempt as soon as the event is owed (the write that queued it woke the worker), retries on Standard Webhooks'
 * schedule by the same wake-ups (not before a receiver's {@code Retry-After}), 410 stops them, every attempt
 * recorded on the job. Each attempt is claimed on the record first, so racing triggers send it once.
 */
@ApplicationScoped
public class NotifyClient {
    private static final Logger LOG = Logger.getLogger(NotifyClient.class);
    private final JobRecords records;
    private final ClientWebhookSender sender;
    private final OutputLinks links;
    private final Metrics metrics;
    private final Clock clock;

    public NotifyClient(
            JobRecords records, ClientWebhookSender sender, OutputLinks links, Metrics metrics, Clock clock) {
        this.records = records;
        this.sender = sender;
        this.links = links;
        this.metrics = metrics;
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
        ClientWebhook message = claimed.get().clientWebhooks().stream()
                .filter(w -> w.state().equals("sending"))
                .findFirst()
                .orElseThrow();
        ClientWebhook.Attempt attempt;
        Duration retryAfter = null;
        try {
            ClientWebhookSender.Answer answer = sender.send(links.shown(claimed.get()), message, now);
            attempt = new ClientWebhook.Attempt(now, answer.status(), null);
            retryAfter = answer.retryAfter();
        } catch (ClientWebhookSender.Undeliverable e) {
            attempt = new ClientWebhook.Attempt(now, null, e.getMessage());
        }
        ClientWebhook.Attempt done = attempt;
        boolean delivered = done.status() != null && done.status() / 100 == 2;
        metrics.webhookAttempt(delivered);
        Duration askedWait = retryAfter;
        double jitter = ThreadLocalRandom.current().nextDouble();
        Optional<Job> after = records.apply(
                job.id(),
                current -> JobLifecycle.recordDelivery(
                        current, message.messageId(), done, jitter, askedWait, clock.instant()));
        try (LogContext.Scope ignored = LogContext.job(job.id())) {
            // Never the URL: the client's endpoint may carry its own token.
            String state = after.flatMap(j -> j.clientWebhooks().stream()
                            .filter(w -> w.messageId().equals(message.messageId()))
                            .findFirst())
                    .map(ClientWebhook::state)
                    .orElse("unknown");
            if (delivered) {
                LOG.infof(
                        "job %s: client webhook %s (%s) answered %d",
                        job.id(), message.messageId(), message.type(), done.status());
            } else {
                LOG.warnf(
                        "job %s: client webhook %s (%s) not delivered (%s), now %s",
                        job.id(),
                        message.messageId(),
                        message.type(),
                        done.status() != null ? "HTTP " + done.status() : done.error(),
                        state);
            }
        }
    }
}
