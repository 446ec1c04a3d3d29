package app.visage.jobs.usecase;

import app.visage.images.ImageFormat;
import app.visage.jobs.model.Attempt;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.model.WebhookEvent;
import app.visage.jobs.port.Provider;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A checked request for a job whose photo the client will upload through a presigned URL; the id as in {@link SubmitCommand}. */
public record UploadCommand(
        JobId id,
        Tenant tenant,
        Operation operation,
        Provider provider,
        Params params,
        ImageFormat format,
        URI webhook,
        Map<String, String> metadata,
        List<String> fallbacks,
        List<Attempt> passedOver,
        Set<WebhookEvent> webhookEvents) {

    /**
     * Providers to try next, in order, if {@code provider} refuses the job; those passed over unconfigured; the
     * webhook events asked for (null: the default, the end).
     */
    public UploadCommand {
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        passedOver = passedOver == null ? List.of() : List.copyOf(passedOver);
    }
}
