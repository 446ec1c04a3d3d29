package app.visage.jobs.port;

import app.visage.jobs.model.Job;
import java.time.Duration;

/**
 * What operators count: each method is one fact as it happens, written without a call on the request path. Names,
 * units and dimensions are the adapter's (docs/deployment.md, "Metrics the app writes"); only ids and statuses go
 * in, never a photo, a token or a key.
 */
public interface Metrics {
    /** A job record was created. */
    void jobCreated(Job job);

    /** The one write that moved {@code job} to a terminal status. */
    void jobEnded(Job job);

    /** The job was started at its provider {@code waited} after it was created. */
    void jobStarted(Job job, Duration waited);

    /** One call to a provider's API (a start or a fetch); {@code failed}: it got no usable answer. */
    void providerCall(String provider, Duration took, boolean failed);

    /** One attempt to deliver a client webhook; {@code delivered}: it got a 2xx. */
    void webhookAttempt(boolean delivered);

    /** A work message the worker can never read: it goes to the dead-letter queue. */
    void deadLettered();

    /** {@code function} was invoked; the first invocation in this process is its cold start. */
    void invoked(String function);
}
