package app.visage.jobs.model;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;

/**
 * queued → processing → succeeded | failed | canceled, and any terminal state → expired.
 * A queued job may also fail (bad upload, provider refusal) or be canceled before it starts; a processing
 * job goes back to queued when its provider says to run it again.
 */
@RegisterForReflection
public enum JobStatus {
    QUEUED,
    PROCESSING,
    SUCCEEDED,
    FAILED,
    CANCELED,
    EXPIRED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }

    public boolean isFinal() {
        return isTerminal() || this == EXPIRED;
    }

    public boolean canMoveTo(JobStatus next) {
        return switch (this) {
            case QUEUED -> next == PROCESSING || next == FAILED || next == CANCELED;
            case PROCESSING -> next == QUEUED || next == SUCCEEDED || next == FAILED || next == CANCELED;
            case SUCCEEDED, FAILED, CANCELED -> next == EXPIRED;
            case EXPIRED -> false;
        };
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
