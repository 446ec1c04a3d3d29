package app.visage.jobs.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's place in its tenant's index: {@code {inverted microseconds of created_at}-{id}}, so that key order is
 * newest first. The position is also the listing's cursor (the last one a page read), so a client never sees a
 * key, only this, encoded.
 */
public record IndexedJob(long invertedMicros, JobId id) {
    private static final Pattern POSITION = Pattern.compile("(\\d{19})-(job_[a-z2-7]{26})");

    public static IndexedJob of(Instant createdAt, JobId id) {
        return new IndexedJob(Long.MAX_VALUE - micros(createdAt), id);
    }

    /** The position as the index's key holds it: 19 digits, a dash, the job id. */
    public String position() {
        return String.format("%019d-%s", invertedMicros, id.value());
    }

    /** When the job was created, to the microsecond (the record keeps nanoseconds). */
    public Instant createdAt() {
        long micros = Long.MAX_VALUE - invertedMicros;
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** Whether {@code job} is the one this position was written for (same id, created at the same microsecond). */
    public boolean isOf(Job job) {
        return job.id().equals(id) && Long.MAX_VALUE - micros(job.createdAt()) == invertedMicros;
    }

    /** A position read back from a key's name or a cursor; empty if it is not one. */
    public static Optional<IndexedJob> parse(String position) {
        Matcher m = POSITION.matcher(position);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new IndexedJob(Long.parseLong(m.group(1)), JobId.of(m.group(2))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The position after which come only jobs created before {@code instant}'s microsecond (those created in it
     * are left to the caller's own check): a listing of jobs created before a time starts after it.
     */
    public static String before(Instant instant) {
        return String.format("%019d.", Long.MAX_VALUE - micros(instant) - 1);
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
