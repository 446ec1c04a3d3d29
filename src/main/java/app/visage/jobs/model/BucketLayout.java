package app.visage.jobs.model;

import java.util.List;

/**
 * The bucket's prefixes (DESIGN.md's S3 layout): the one home of the layout, which {@link Keys}, the S3
 * adapters and the deployment's IAM scoping, lifecycle rules and upload notification all read. It depends on
 * the JDK alone, because {@code infra/} compiles this very file. Prefixes end in '/' so that one job's keys
 * never nest in another's.
 */
public final class BucketLayout {
    /** Job records, {@code jobs/{id}.json}. */
    public static final String JOBS = "jobs/";
    /** Provider slots, {@code slots/{provider}/{n}.json}, and the line for them, {@code slots/{provider}/line/…}. */
    public static final String SLOTS = "slots/";
    /** Stored photos, {@code inputs/{id}/face.{ext}}. */
    public static final String INPUTS = "inputs/";
    /** Photos uploaded by presigned PUT, {@code uploads/{id}/face.{ext}}: their object-created event starts the job. */
    public static final String UPLOADS = "uploads/";
    /** Results, {@code outputs/{id}/{n}.{ext}}. */
    public static final String OUTPUTS = "outputs/";
    /** First answers to an Idempotency-Key, {@code idempotency/{sha256}.json}. */
    public static final String IDEMPOTENCY = "idempotency/";
    /** The due-work index, {@code due/{yyyyMMddHHmm}/{subject}-{kind}.json}: timers longer than the queue's delay. */
    public static final String DUE = "due/";

    /**
     * Each tenant's index of its jobs, {@code tenants/{sha256 of tenant}/jobs/{inverted microseconds}-{id}.json}:
     * an empty marker per job, written with its record, listed newest first by GET /v1/jobs.
     */
    public static final String TENANTS = "tenants/";

    /**
     * Per-tenant quotas ({@code visage.quotas.*}), {@code quotas/{sha256 of tenant}/active/{n}.json}: the job
     * holding each of the tenant's concurrent-job slots, and {@code quotas/{sha256 of tenant}/days/{yyyy-MM-dd}.json}:
     * the jobs it created that UTC day.
     */
    public static final String QUOTAS = "quotas/";

    /** Every prefix Visage writes under. */
    public static final List<String> ALL =
            List.of(JOBS, SLOTS, INPUTS, UPLOADS, OUTPUTS, IDEMPOTENCY, DUE, TENANTS, QUOTAS);

    /**
     * The prefixes kept as long as job records ({@code visage.record-retention}): the records, and the tenants'
     * indexes of them, whose markers are written with the record and never rewritten, so they go no later; and
     * the quotas, whose slot holder is a job younger than its slot's last write (a record of that age still
     * exists, so a held slot is never deleted under an active job) and whose day counts are needed for a day.
     */
    public static final List<String> RETAINED = List.of(JOBS, TENANTS, QUOTAS);

    /**
     * The prefixes of objects that last no longer than their job's TTL: the worker deletes a job's inputs,
     * uploads and outputs when the job expires, and the bucket's lifecycle rules delete what it missed (and
     * Idempotency-Key records).
     */
    public static final List<String> TRANSIENT = List.of(INPUTS, UPLOADS, OUTPUTS, IDEMPOTENCY);

    private BucketLayout() {}
}
