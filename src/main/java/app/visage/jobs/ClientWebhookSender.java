package app.visage.jobs;

/** Port: POSTs one signed client webhook for a job's end; answers the HTTP status. */
public interface ClientWebhookSender {

    /**
     * @throws Undeliverable when no answer came (refused URL, connection failure, timeout), with why
     */
    int send(Job job, ClientWebhook message, java.time.Instant timestamp);

    final class Undeliverable extends RuntimeException {
        public Undeliverable(String message) {
            super(message);
        }
    }
}
