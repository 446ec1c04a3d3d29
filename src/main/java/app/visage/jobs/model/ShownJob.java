package app.visage.jobs.model;

import app.visage.jobs.usecase.OutputLinks;
import java.time.Instant;
import java.util.List;

/**
 * A job as the API and client webhooks show it: the record, how each output is handed out, and when this was
 * made (the view's {@code eta_seconds} counts from then). Made by {@link OutputLinks}; presenters only read it.
 */
public record ShownJob(Job job, List<Output> outputs, Instant at) {

    public ShownJob {
        outputs = List.copyOf(outputs);
    }

    /** An output: a presigned GET, or a data URI when the job asked for base64, valid until {@code expiresAt}. */
    public record Output(StoredObject object, String url, Instant expiresAt) {}
}
