package app.visage.jobs;

import java.time.Instant;

/** Port: POSTs one signed client webhook for a job's end; answers the HTTP status. */
public interface ClientWebhookSender {

    /**
     * @throws Undeliverable when no answer came (refused URL, connection failure, timeout), with why
     */
    int send(Job job, ClientWebhook message, Instant timestamp);

    final class Undeliverable extends RuntimeException {
        public Undeliverable(String message) {
            super(message);
        }
    }
}
