package app.visage.support;

import app.visage.config.VisageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Direct looks into the bucket, to check what a request left behind. */
@ApplicationScoped
public class Bucket {
    private final S3Client s3;
    private final String name;

    public Bucket(S3Client s3, VisageConfig config) {
        this.s3 = s3;
        this.name = config.bucket();
    }

    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(name).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    public byte[] bytes(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(name).key(key)).asByteArray();
    }

    public List<String> keys() {
        return keys("");
    }
}
