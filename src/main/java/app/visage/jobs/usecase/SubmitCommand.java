package app.visage.jobs.usecase;

import app.visage.jobs.model.Attempt;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.model.WebhookEvent;
import app.visage.jobs.port.Provider;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checked request to run a job on a photo that is already in hand. The id is chosen before the job
 * exists, so that a retried request (same Idempotency-Key) can only ever create this one job.
 */
public record SubmitCommand(
        JobId id,
        Tenant tenant,
        Operation operation,
        Provider provider,
        Params params,
        Photo photo,
        URI webhook,
        Map<String, String> metadata,
        List<String> fallbacks,
        List<Attempt> passedOver,
        Set<WebhookEvent> webhookEvents) {

    /**
     * Providers to try next, in order, if {@code provider} refuses the job; those passed over unconfigured; the
     * webhook events asked for (null: the default, the end).
     */
    public SubmitCommand {
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        passedOver = passedOver == null ? List.of() : List.copyOf(passedOver);
    }
}
