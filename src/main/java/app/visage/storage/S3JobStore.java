package app.visage.storage;

import app.visage.config.VisageConfig;
import app.visage.jobs.Job;
import app.visage.jobs.JobId;
import app.visage.jobs.JobStore;
import app.visage.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
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
    private static final String PREFIX = "jobs/";
    private static final String SUFFIX = ".json";

    private final S3Client s3;
    private final String bucket;

    public S3JobStore(S3Client s3, VisageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    @Override
    public String create(Job job) {
        try {
            return versionOf(s3.putObject(b -> b.bucket(bucket).key(key(job.id())).contentType("application/json")
                    .ifNoneMatch("*"), RequestBody.fromBytes(Json.write(job))));
        } catch (S3Exception e) {
            if (isConditionFailure(e)) {
                throw new AlreadyExists(job.id());
            }
            throw e;
        }
    }

    @Override
    public Optional<Versioned> find(JobId id) {
        try {
            var object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(id)));
            return Optional.of(new Versioned(Json.read(object.asByteArray(), Job.class), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> replace(Job job, String version) {
        try {
            return Optional.of(versionOf(s3.putObject(b -> b.bucket(bucket).key(key(job.id()))
                    .contentType("application/json").ifMatch(version), RequestBody.fromBytes(Json.write(job)))));
        } catch (S3Exception e) {
            // 404: the record is gone, so it is not at that version either.
            if (isConditionFailure(e) || e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
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
        String next = Boolean.TRUE.equals(page.isTruncated()) && !page.contents().isEmpty()
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
