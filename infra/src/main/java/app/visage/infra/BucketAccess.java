package app.visage.infra;

import static app.visage.jobs.model.BucketLayout.DUE;
import static app.visage.jobs.model.BucketLayout.IDEMPOTENCY;
import static app.visage.jobs.model.BucketLayout.INPUTS;
import static app.visage.jobs.model.BucketLayout.JOBS;
import static app.visage.jobs.model.BucketLayout.OUTPUTS;
import static app.visage.jobs.model.BucketLayout.QUOTAS;
import static app.visage.jobs.model.BucketLayout.SLOTS;
import static app.visage.jobs.model.BucketLayout.TENANTS;
import static app.visage.jobs.model.BucketLayout.UPLOADS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * What each function may do in the bucket, prefix by prefix, as the code uses it
 * (app.visage.jobs, app.visage.storage, app.visage.jobs.view.JobViews):
 *
 * <pre>
 * function  jobs/    slots/   inputs/          uploads/    outputs/         idempotency/  due/            tenants/    ListBucket (s3:prefix)
 *           (and quotas/: submit Get Put)
 * submit    Get Put  Get Put  Get Put Delete   Put         Get Put Delete   Get Put       Put             Put Delete  jobs slots inputs outputs
 * status    Get Put  Get Put  -                -           Get Put Delete   -             Put             -           jobs slots outputs tenants
 * webhook   Get Put  Get Put  -                -           Put Delete       -             Put             jobs slots outputs
 * upload    Get Put  Get Put  Get Put          Get Delete  Put Delete       -             Put             jobs slots inputs uploads
 * worker    Get Put  Get Put  Get Delete       Delete      Get Put Delete   -             Put             jobs slots inputs uploads outputs
 * cleanup   -        -        -                -           -                -             Get Put Delete  due
 * </pre>
 *
 * <ul>
 * <li>Get: reads, HeadObject, and the presigned GETs the function signs (input photos handed to
 * providers, output URLs in job views). Put: writes, the conditional ones of job records and
 * slots, and the upload forms {@code submit} signs (a POST Object is a PutObject). Delete:
 * DeleteObjects batches too.</li>
 * <li>{@code jobs/}, {@code slots/}: every function finds, creates or swaps job records; any that
 * starts a job or ends one (a poll, a webhook, an expiry) takes or frees a provider slot.</li>
 * <li>{@code outputs/}: whoever finishes a job copies its outputs and removes them again when the job
 * ended otherwise meanwhile; {@code submit} (cancel answers a view), {@code status} and {@code worker}
 * (a client webhook carries the view) render views with presigned GETs, or read outputs for data URIs.</li>
 * <li>{@code worker}: the steps that wait or take long (start, confirm, poll, next in line, client
 * webhooks, expiry); expiring a job deletes what is left of its photo and outputs.</li>
 * <li>{@code idempotency/}: {@code submit} records each Idempotency-Key
 * ({@code idempotency/{hash}.json}, conditional puts) and reads it back on a retry; the bucket's
 * lifecycle deletes the records.</li>
 * <li>{@code due/}: every function that sets a timer longer than the queue's 15-minute delay leaves a
 * marker; {@code cleanup} lists the due minutes, reads each marker, sends its work to the queue and
 * deletes it. It touches nothing else in the bucket: it never scans jobs.</li>
 * <li>{@code tenants/}: each tenant's index of its jobs, an empty marker per job: {@code submit} puts it with
 * the job's record (and deletes it if the record could not be made); {@code status} lists it for GET /v1/jobs
 * (its keys say everything, so it reads none). The bucket's lifecycle deletes the markers with the records.</li>
 * <li>{@code quotas/}: {@code submit} alone reads and conditionally writes the tenants' concurrent-job slots and
 * daily counts ({@code visage.quotas.*}); a slot is freed by its job's end, read from the job's record, so no
 * other function writes there. The bucket's lifecycle deletes them with the records.</li>
 * <li>ListBucket: {@code cleanup} lists {@code due/}; the worker lists a job's objects to delete them.
 * Every function also needs it so that a missing key answers 404 NoSuchKey
 * (without it S3 answers 403): job records of unknown ids, never-created slots, an uploaded photo
 * that is gone. That implicit check carries no {@code s3:prefix}, hence {@code StringLikeIfExists}:
 * a listing that names a prefix must name one of the function's own.</li>
 * </ul>
 */
public final class BucketAccess {
    public static final String GET = "s3:GetObject";
    public static final String PUT = "s3:PutObject";
    public static final String DELETE = "s3:DeleteObject";
    public static final String LIST = "s3:ListBucket";

    /** Prefix → object actions; then the prefixes a listing may name. */
    public record Access(Map<String, List<String>> objects, List<String> listPrefixes) {}

    private BucketAccess() {}

    public static Access of(VisageFunction function) {
        return switch (function) {
            case SUBMIT ->
                new Access(
                        Map.of(
                                JOBS, List.of(GET, PUT),
                                SLOTS, List.of(GET, PUT),
                                INPUTS, List.of(GET, PUT, DELETE),
                                UPLOADS, List.of(PUT),
                                OUTPUTS, List.of(GET, PUT, DELETE),
                                IDEMPOTENCY, List.of(GET, PUT),
                                DUE, List.of(PUT),
                                TENANTS, List.of(PUT, DELETE),
                                QUOTAS, List.of(GET, PUT)),
                        List.of(JOBS, SLOTS, INPUTS, OUTPUTS));
            case STATUS ->
                new Access(
                        Map.of(
                                JOBS, List.of(GET, PUT),
                                SLOTS, List.of(GET, PUT),
                                OUTPUTS, List.of(GET, PUT, DELETE),
                                DUE, List.of(PUT)),
                        List.of(JOBS, SLOTS, OUTPUTS, TENANTS));
            case WEBHOOK ->
                new Access(
                        Map.of(
                                JOBS, List.of(GET, PUT),
                                SLOTS, List.of(GET, PUT),
                                OUTPUTS, List.of(PUT, DELETE),
                                DUE, List.of(PUT)),
                        List.of(JOBS, SLOTS, OUTPUTS));
            case UPLOAD ->
                new Access(
                        Map.of(
                                JOBS, List.of(GET, PUT),
                                SLOTS, List.of(GET, PUT),
                                INPUTS, List.of(GET, PUT),
                                UPLOADS, List.of(GET, DELETE),
                                OUTPUTS, List.of(PUT, DELETE),
                                DUE, List.of(PUT)),
                        List.of(JOBS, SLOTS, INPUTS, UPLOADS));
            case WORKER ->
                new Access(
                        Map.of(
                                JOBS, List.of(GET, PUT),
                                SLOTS, List.of(GET, PUT),
                                INPUTS, List.of(GET, DELETE),
                                UPLOADS, List.of(DELETE),
                                OUTPUTS, List.of(GET, PUT, DELETE),
                                DUE, List.of(PUT)),
                        List.of(JOBS, SLOTS, INPUTS, UPLOADS, OUTPUTS));
            case CLEANUP -> new Access(Map.of(DUE, List.of(GET, PUT, DELETE)), List.of(DUE));
        };
    }

    /** One statement per prefix ({@code bucketArn/prefix*}), and ListBucket on the bucket with its condition. */
    public static List<PolicyStatement> statements(IBucket bucket, VisageFunction function) {
        Access access = of(function);
        List<PolicyStatement> statements = new ArrayList<>();
        access.objects().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> statements.add(PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(e.getValue())
                        .resources(List.of(bucket.arnForObjects(e.getKey() + "*")))
                        .build()));
        statements.add(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of(LIST))
                .resources(List.of(bucket.getBucketArn()))
                .conditions(Map.of(
                        "StringLikeIfExists",
                        Map.of(
                                "s3:prefix",
                                access.listPrefixes().stream().map(p -> p + "*").toList())))
                .build());
        return statements;
    }
}
