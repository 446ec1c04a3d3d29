package app.visage.jobs.model;

import static app.visage.jobs.model.BucketLayout.DUE;
import static app.visage.jobs.model.BucketLayout.IDEMPOTENCY;
import static app.visage.jobs.model.BucketLayout.INPUTS;
import static app.visage.jobs.model.BucketLayout.OUTPUTS;
import static app.visage.jobs.model.BucketLayout.QUOTAS;
import static app.visage.jobs.model.BucketLayout.SLOTS;
import static app.visage.jobs.model.BucketLayout.TENANTS;
import static app.visage.jobs.model.BucketLayout.UPLOADS;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;

/** The keys of one job's (and one request's) objects, under the prefixes of {@link BucketLayout}. */
public final class Keys {

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

    private Keys() {}

    public static String input(JobId id, String extension) {
        return INPUTS + id + "/face." + extension;
    }

    public static String upload(JobId id, String extension) {
        return UPLOADS + id + "/face." + extension;
    }

    public static String output(JobId id, int n, String extension) {
        return OUTPUTS + id + "/" + n + "." + extension;
    }

    public static String result(JobId id) {
        return OUTPUTS + id + "/result.json";
    }

    /** The first answer to an Idempotency-Key, by the hash of tenant and key. */
    public static String idempotency(String hash) {
        return IDEMPOTENCY + hash + ".json";
    }

    /**
     * A job's place in the line for a slot of {@code provider}, {@code slots/{provider}/line/{since}-{id}}: the
     * line lists oldest first, and the key is the job's own, so joining twice is one place.
     */
    public static String inLine(String provider, Instant since, JobId id) {
        return line(provider) + String.format("%013d", since.toEpochMilli()) + "-" + id + ".json";
    }

    /** The line for a slot of {@code provider}. */
    public static String line(String provider) {
        return SLOTS + provider + "/line/";
    }

    /** The job a place in a line belongs to. */
    public static JobId inLineJob(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return JobId.of(name.substring(name.indexOf('-') + 1, name.length() - ".json".length()));
    }

    /** The due-work marker of {@code work}: one per subject, kind and minute. */
    public static String due(Work work) {
        return dueMinute(work.at()) + work.subject() + "-" + work.kind().wire() + ".json";
    }

    /** The due-work index's folder for the minute {@code at} falls in; folders sort as their minutes do. */
    public static String dueMinute(Instant at) {
        return DUE + MINUTE.format(at) + "/";
    }

    /**
     * The tenant's index of jobs, {@code tenants/{sha256 hex of the tenant id}/jobs/}; the anonymous tenant (open
     * access) is {@code tenants/anonymous/jobs/}, which no hash can be.
     */
    public static String tenantJobs(Tenant tenant) {
        return TENANTS + owner(tenant) + "/jobs/";
    }

    /** Slot {@code n} of the tenant's concurrent jobs ({@code visage.quotas.max-concurrent-jobs}). */
    public static String quotaSlot(Tenant tenant, int n) {
        return QUOTAS + owner(tenant) + "/active/" + n + ".json";
    }

    /** The count of jobs the tenant created on UTC day {@code day} ({@code visage.quotas.max-jobs-per-day}). */
    public static String quotaDay(Tenant tenant, LocalDate day) {
        return QUOTAS + owner(tenant) + "/days/" + day + ".json";
    }

    private static String owner(Tenant tenant) {
        return tenant.id() == null ? "anonymous" : HexFormat.of().formatHex(Sha256.of(tenant.id()));
    }

    /** The job's marker in its tenant's index: listed in key order, newest first. */
    public static String indexed(Tenant tenant, IndexedJob job) {
        return tenantJobs(tenant) + job.position() + ".json";
    }

    /** Every prefix that holds objects of this job. */
    public static String[] prefixes(JobId id) {
        return new String[] {INPUTS + id + "/", UPLOADS + id + "/", OUTPUTS + id + "/"};
    }

    /** The job an {@code uploads/{id}/face.{ext}} key belongs to, if it is one. */
    public static Optional<JobId> uploadedJob(String key) {
        if (!key.startsWith(UPLOADS)) {
            return Optional.empty();
        }
        String rest = key.substring(UPLOADS.length());
        int slash = rest.indexOf('/');
        if (slash < 0 || !rest.substring(slash + 1).startsWith("face.")) {
            return Optional.empty();
        }
        try {
            return Optional.of(JobId.of(rest.substring(0, slash)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
