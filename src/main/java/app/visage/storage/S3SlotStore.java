package app.visage.storage;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.model.JobId;
import app.visage.jobs.port.SlotStore;
import app.visage.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Provider slots as {@code slots/{provider}/{n}.json}: {@code {"job_id": "…" | null}}, written conditionally. */
@ApplicationScoped
public class S3SlotStore implements SlotStore {
    private final S3Client s3;
    private final String bucket;

    public S3SlotStore(S3Client s3, VisageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    @Override
    public Optional<Slot> read(String provider, int n) {
        try {
            var object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(provider, n)));
            Object holder = Json.read(object.asByteArray(), Map.class).get("job_id");
            return Optional.of(new Slot(
                    holder == null ? null : JobId.of(holder.toString()),
                    object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean create(String provider, int n, JobId holder) {
        return conditionalPut(provider, n, holder, null);
    }

    @Override
    public boolean replace(String provider, int n, JobId holder, String version) {
        return conditionalPut(provider, n, holder, version);
    }

    private boolean conditionalPut(String provider, int n, JobId holder, String version) {
        byte[] body = Json.write(Collections.singletonMap("job_id", holder == null ? null : holder.value()));
        try {
            s3.putObject(
                    b -> {
                        b.bucket(bucket).key(key(provider, n)).contentType("application/json");
                        if (version == null) {
                            b.ifNoneMatch("*");
                        } else {
                            b.ifMatch(version);
                        }
                    },
                    RequestBody.fromBytes(body));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    private static String key(String provider, int n) {
        return BucketLayout.SLOTS + provider + "/" + n + ".json";
    }
}
