package app.visage.jobs.port;

import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.ShownJob;
import java.time.Duration;
import java.time.Instant;

/** Port: POSTs one signed client webhook event for a job, showing the job as the API does; answers what came back. */
public interface ClientWebhookSender {

    /**
     * @throws Undeliverable when no answer came (refused URL, connection failure, timeout), with why
     */
    Answer send(ShownJob job, ClientWebhook message, Instant timestamp);

    /**
     * The HTTP status, and how long the receiver asked to be left alone ({@code Retry-After} on a 429 or 503;
     * null when it did not ask).
     */
    record Answer(int status, Duration retryAfter) {}

    final class Undeliverable extends RuntimeException {
        public Undeliverable(String message) {
            super(message);
        }
    }
}
