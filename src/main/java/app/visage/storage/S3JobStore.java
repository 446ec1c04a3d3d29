package app.visage.storage;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.port.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/** Job records as {@code jobs/{id}.json} ({@link StoredJob}), written through {@link ConditionalWrites}. */
@ApplicationScoped
public class S3JobStore implements JobStore {
    private static final String PREFIX = BucketLayout.JOBS;
    private static final String SUFFIX = ".json";

    private final S3Client s3;
    private final String bucket;
    private final ConditionalWrites writes;

    public S3JobStore(S3Client s3, VisageConfig config, ConditionalWrites writes) {
        this.s3 = s3;
        this.bucket = config.bucket();
        this.writes = writes;
    }

    @Override
    public String create(Job job) {
        return writes.create(key(job.id()), body(job)).orElseThrow(() -> new AlreadyExists(job.id()));
    }

    @Override
    public Optional<Versioned> find(JobId id) {
        String key = key(id);
        return writes.read(key)
                .map(found ->
                        new Versioned(StoredJob.FORMAT.read(found.body(), key).toDomain(), found.version()));
    }

    @Override
    public Optional<String> replace(Job job, String version) {
        return writes.replace(key(job.id()), body(job), version);
    }

    private static byte[] body(Job job) {
        return StoredJob.FORMAT.write(StoredJob.of(job));
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
}
