package app.visage.jobs.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One step for the {@code worker}: a message on the work queue, or a marker in the due-work index until its
 * time is near enough for the queue's delay. Every step is idempotent: the worker decides from the job record
 * what, if anything, is left to do, so a duplicate, late or reordered step changes nothing.
 *
 * @param job the job it is about ({@code null} for {@link Kind#NEXT_IN_LINE})
 * @param provider the provider whose slot freed ({@link Kind#NEXT_IN_LINE} only)
 * @param providerJobId the provider's job a webhook named, if the record does not know it yet ({@link Kind#CONFIRM})
 * @param at when it is due
 */
public record Work(Kind kind, JobId job, String provider, String providerJobId, Instant at) {

    public enum Kind {
        /** Do whatever the job's record says is due: start, poll, fail at a deadline, deliver, expire. */
        WAKE("wake"),
        /** A provider's webhook said the job changed: ask the provider, copy the outputs, finish. */
        CONFIRM("confirm"),
        /** A slot of {@code provider} freed: start the job that has waited longest for one. */
        NEXT_IN_LINE("next_in_line");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Kind fromWire(String wire) {
            for (Kind kind : values()) {
                if (kind.wire.equals(wire)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown kind of work");
        }
    }

    public Work {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if ((kind == Kind.NEXT_IN_LINE) != (job == null) || (kind == Kind.NEXT_IN_LINE) == (provider == null)) {
            throw new IllegalArgumentException(kind.wire + " names a job, or (next_in_line) a provider");
        }
    }

    public static Work wake(JobId job, Instant at) {
        return new Work(Kind.WAKE, job, null, null, at);
    }

    public static Work confirm(JobId job, String providerJobId, Instant at) {
        return new Work(Kind.CONFIRM, job, null, providerJobId, at);
    }

    public static Work nextInLine(String provider, Instant at) {
        return new Work(Kind.NEXT_IN_LINE, null, provider, null, at);
    }

    /** What it is about: the job's id, or the provider's. */
    public String subject() {
        return job != null ? job.value() : provider;
    }
}
