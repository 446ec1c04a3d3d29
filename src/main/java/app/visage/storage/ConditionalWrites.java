package app.visage.storage;

import app.visage.config.VisageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bucket's records (jobs, Idempotency-Keys, provider slots) as compare-and-swap objects: created only if
 * absent ({@code If-None-Match: *}), replaced only if still at the version read ({@code If-Match: etag}). The
 * one place that decides what a conditional write's answer means, so that every store treats a write whose
 * answer was lost the same way.
 */
@ApplicationScoped
public class ConditionalWrites {
    private final S3Client s3;
    private final String bucket;

    public ConditionalWrites(S3Client s3, VisageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** An object's bytes, and the version (its ETag) that a replace must match. */
    public record Found(byte[] body, String version) {}

    public Optional<Found> read(String key) {
        try {
            var object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Found(object.asByteArray(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Writes {@code body} only if nothing is at {@code key}: its version, or empty if something else is. */
    public Optional<String> create(String key, byte[] body) {
        return put(key, body, b -> b.ifNoneMatch("*"));
    }

    /**
     * Writes {@code body} only if the object is still at {@code version}: the new version, or empty if someone
     * else wrote first or the object is gone.
     */
    public Optional<String> replace(String key, byte[] body, String version) {
        try {
            return put(key, body, b -> b.ifMatch(version));
        } catch (S3Exception e) {
            // 404 to If-Match: the object is gone, so it is not at that version either.
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<String> put(String key, byte[] body, UnaryOperator<PutObjectRequest.Builder> condition) {
        try {
            String eTag = s3.putObject(
                            b -> condition.apply(b.bucket(bucket).key(key).contentType("application/json")),
                            RequestBody.fromBytes(body))
                    .eTag();
            // A store that gives no ETag still wrote: the caller needs a version, even an empty one.
            return Optional.of(eTag == null ? "" : eTag);
        } catch (S3Exception e) {
            if (isConditionFailure(e)) {
                return ownEarlierAttempt(key, body, e);
            }
            throw e;
        }
    }

    /**
     * A conditional write that the SDK sent more than once may have been refused because of itself: an
     * earlier attempt landed but its answer was lost (a reset connection, a timeout), and the retry then
     * failed the condition that attempt had changed. If the object now holds exactly our bytes, the write
     * is ours, and so is its version. (Without that, the caller would think another writer won: a start
     * claim nobody acts on, a created job reported as a failed submit, an Idempotency-Key claimed by
     * nobody, a slot held by a job that went on to look for another.) A first attempt that fails its
     * condition lost a real race, and is not looked at.
     */
    private Optional<String> ownEarlierAttempt(String key, byte[] body, S3Exception refused) {
        if (refused.numAttempts() == null || refused.numAttempts() < 2) {
            return Optional.empty();
        }
        return read(key).filter(current -> Arrays.equals(current.body(), body)).map(Found::version);
    }

    /** 412: the condition failed; 409: a concurrent conditional write to the same key won. */
    private static boolean isConditionFailure(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }
}
