package app.visage.jobs.port;

import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.ShownJob;
import java.time.Instant;

/** Port: POSTs one signed client webhook for a job's end, showing the job as the API does; answers the HTTP status. */
public interface ClientWebhookSender {

    /**
     * @throws Undeliverable when no answer came (refused URL, connection failure, timeout), with why
     */
    int send(ShownJob job, ClientWebhook message, Instant timestamp);

    final class Undeliverable extends RuntimeException {
        public Undeliverable(String message) {
            super(message);
        }
    }
}
