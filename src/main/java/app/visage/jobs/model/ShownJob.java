package app.visage.jobs.model;

import app.visage.jobs.usecase.OutputLinks;
import java.time.Instant;
import java.util.List;

/**
 * A job as the API and client webhooks show it: the record, how each output is handed out, when this was made
 * (the view's {@code eta_seconds} counts from then), and its place in its provider's line for a slot (null when
 * it waits in none, or nobody looked). Made by {@link OutputLinks}; presenters only read it.
 */
public record ShownJob(Job job, List<Output> outputs, Instant at, Integer queuePosition) {

    public ShownJob {
        outputs = List.copyOf(outputs);
    }

    public ShownJob(Job job, List<Output> outputs, Instant at) {
        this(job, outputs, at, null);
    }

    public ShownJob withQueuePosition(Integer position) {
        return new ShownJob(job, outputs, at, position);
    }

    /** An output: a presigned GET, or a data URI when the job asked for base64, valid until {@code expiresAt}. */
    public record Output(StoredObject object, String url, Instant expiresAt) {}
}
