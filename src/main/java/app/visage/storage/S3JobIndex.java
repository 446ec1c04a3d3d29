package app.visage.storage;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.IndexedJob;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.JobIndex;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The tenants' indexes of jobs: an empty object per job at {@link Keys#indexed}, whose key is all it says. A page
 * is one ListObjectsV2 on the tenant's prefix, in key order, with StartAfter.
 */
@ApplicationScoped
public class S3JobIndex implements JobIndex {
    /** ListObjectsV2 answers at most 1,000 keys a call. */
    private static final int MOST_KEYS = 1000;

    private static final String SUFFIX = ".json";

    private final S3Client s3;
    private final String bucket;

    public S3JobIndex(S3Client s3, VisageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    @Override
    public void add(Job job) {
        s3.putObject(b -> b.bucket(bucket).key(key(job)).contentType("application/json"), RequestBody.empty());
    }

    @Override
    public void remove(Job job) {
        s3.deleteObject(b -> b.bucket(bucket).key(key(job)));
    }

    @Override
    public Page page(Tenant tenant, String after, int max) {
        String prefix = Keys.tenantJobs(tenant);
        ListObjectsV2Response page = s3.listObjectsV2(b -> {
            b.bucket(bucket).prefix(prefix).maxKeys(Math.min(max, MOST_KEYS));
            if (after != null) {
                b.startAfter(prefix + after + SUFFIX);
            }
        });
        List<IndexedJob> jobs = new ArrayList<>();
        for (S3Object object : page.contents()) {
            String name = object.key().substring(prefix.length());
            if (name.endsWith(SUFFIX)) {
                IndexedJob.parse(name.substring(0, name.length() - SUFFIX.length()))
                        .ifPresent(jobs::add);
            }
        }
        return new Page(jobs, Boolean.TRUE.equals(page.isTruncated()));
    }

    private static String key(Job job) {
        return Keys.indexed(new Tenant(job.tenant()), IndexedJob.of(job.createdAt(), job.id()));
    }
}
