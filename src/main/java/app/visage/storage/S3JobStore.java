package app.visage.storage;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.port.JobStore;
import app.visage.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Job records as {@code jobs/{id}.json}: created with If-None-Match: *, replaced with If-Match: etag. */
@ApplicationScoped
public class S3JobStore implements JobStore {
    private static final String PREFIX = BucketLayout.JOBS;
    private static final String SUFFIX = ".json";

    private final S3Client s3;
    private final String bucket;

    public S3JobStore(S3Client s3, VisageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    @Override
    public String create(Job job) {
        byte[] body = Json.write(job);
        try {
            return versionOf(s3.putObject(
                    b -> b.bucket(bucket)
                            .key(key(job.id()))
                            .contentType("application/json")
                            .ifNoneMatch("*"),
                    RequestBody.fromBytes(body)));
        } catch (S3Exception e) {
            if (isConditionFailure(e)) {
                return ownEarlierAttempt(job.id(), body, e).orElseThrow(() -> new AlreadyExists(job.id()));
            }
            throw e;
        }
    }

    @Override
    public Optional<Versioned> find(JobId id) {
        try {
            var object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(id)));
            return Optional.of(new Versioned(
                    Json.read(object.asByteArray(), Job.class),
                    object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> replace(Job job, String version) {
        byte[] body = Json.write(job);
        try {
            return Optional.of(versionOf(s3.putObject(
                    b -> b.bucket(bucket)
                            .key(key(job.id()))
                            .contentType("application/json")
                            .ifMatch(version),
                    RequestBody.fromBytes(body))));
        } catch (S3Exception e) {
            if (isConditionFailure(e)) {
                return ownEarlierAttempt(job.id(), body, e);
            }
            // 404: the record is gone, so it is not at that version either.
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * A conditional write that the SDK sent more than once may have been refused because of itself: an
     * earlier attempt landed but its answer was lost (a reset connection, a timeout), and the retry then
     * failed the condition that attempt had changed. If the record now holds exactly our bytes, the write
     * is ours, and so is its version. (Without that, the caller would think another writer won: a start
     * claim nobody acts on, a created job reported as a failed submit.) A first attempt that fails its
     * condition lost a real race, and is not looked at.
     */
    private Optional<String> ownEarlierAttempt(JobId id, byte[] body, S3Exception refused) {
        if (refused.numAttempts() == null || refused.numAttempts() < 2) {
            return Optional.empty();
        }
        try {
            var current = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(id)));
            return Arrays.equals(current.asByteArray(), body)
                    ? Optional.of(current.response().eTag())
                    : Optional.empty();
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private static String versionOf(PutObjectResponse response) {
        return response.eTag() == null ? "" : response.eTag();
    }

    @Override
    public Page list(String startAfter, int max) {
        ListObjectsV2Response page = s3.listObjectsV2(b -> {
            b.bucket(bucket).prefix(PREFIX).maxKeys(max);
            if (startAfter != null) {
                b.startAfter(startAfter);
            }
        });
        List<JobId> ids = page.contents().stream()
                .map(o -> o.key())
                .filter(k -> k.endsWith(SUFFIX))
                .map(k -> JobId.of(k.substring(PREFIX.length(), k.length() - SUFFIX.length())))
                .toList();
        String next =
                Boolean.TRUE.equals(page.isTruncated()) && !page.contents().isEmpty()
                        ? page.contents().getLast().key()
                        : null;
        return new Page(ids, next);
    }

    private static String key(JobId id) {
        return PREFIX + id.value() + SUFFIX;
    }

    /** 412: the condition failed; 409: a concurrent conditional write to the same key won. */
    private static boolean isConditionFailure(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }
}
