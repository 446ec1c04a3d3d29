package app.visage.jobs.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a client may ask to be told at its {@code webhook} ({@code webhook_events_filter}): {@code started} (the job
 * went processing: {@code job.started}), {@code output} (its outputs are stored: {@code job.output}, just before
 * {@code job.succeeded}), {@code completed} (it ended: {@code job.succeeded|failed|canceled}).
 */
@RegisterForReflection
public enum WebhookEvent {
    STARTED,
    OUTPUT,
    COMPLETED;

    /** What a request without {@code webhook_events_filter} asks for. */
    public static final Set<WebhookEvent> DEFAULT = Set.of(COMPLETED);

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WebhookEvent> fromWire(String wire) {
        for (WebhookEvent event : values()) {
            if (event.wire().equals(wire)) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }
}
