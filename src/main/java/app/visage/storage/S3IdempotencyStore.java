package app.visage.storage;

import app.visage.config.VisageConfig;
import app.visage.idempotency.IdempotencyRecord;
import app.visage.idempotency.IdempotencyStore;
import app.visage.jobs.model.Keys;
import app.visage.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Idempotency records as {@code idempotency/{hash}.json}, written with If-None-Match: * or If-Match: etag. */
@ApplicationScoped
public class S3IdempotencyStore implements IdempotencyStore {
    private final S3Client s3;
    private final String bucket;

    public S3IdempotencyStore(S3Client s3, VisageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    @Override
    public Optional<String> create(String hash, IdempotencyRecord record) {
        return conditionalPut(hash, record, null);
    }

    @Override
    public Optional<Versioned> find(String hash) {
        try {
            var object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(Keys.idempotency(hash)));
            return Optional.of(new Versioned(
                    Json.read(object.asByteArray(), IdempotencyRecord.class),
                    object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> replace(String hash, IdempotencyRecord record, String version) {
        return conditionalPut(hash, record, version);
    }

    /** With no version: only if absent. A lost condition (412, or 409 for a concurrent write) is empty. */
    private Optional<String> conditionalPut(String hash, IdempotencyRecord record, String version) {
        try {
            PutObjectResponse put = s3.putObject(
                    b -> {
                        b.bucket(bucket).key(Keys.idempotency(hash)).contentType("application/json");
                        if (version == null) {
                            b.ifNoneMatch("*");
                        } else {
                            b.ifMatch(version);
                        }
                    },
                    RequestBody.fromBytes(Json.write(record)));
            return Optional.of(put.eTag() == null ? "" : put.eTag());
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || (version != null && e.statusCode() == 404)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
