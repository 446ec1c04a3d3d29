package app.visage.storage;

import app.visage.config.VisageConfig;
import app.visage.jobs.port.FileStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

@ApplicationScoped
public class S3FileStore implements FileStore {
    /** DeleteObjects takes at most 1,000 keys a call. */
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3FileStore(S3Client s3, S3Presigner presigner, VisageConfig config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = config.bucket();
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        // Streamed from the caller's array, not a copy of it (RequestBody.fromBytes copies): photos are up to 10 MB.
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromContentProvider(
                        ContentStreamProvider.fromByteArrayUnsafe(bytes), bytes.length, contentType));
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<byte[]> getAtMost(String key, long maxBytes) {
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            return Optional.of(bytes);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(List<String> keys) {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        List<ObjectInfo> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                .contents()
                .forEach(o -> objects.add(new ObjectInfo(o.key(), o.size(), o.lastModified())));
        return objects;
    }

    @Override
    public URI presignGet(String key, Duration validity) {
        return URI.create(presigner
                .presignGetObject(b -> b.signatureDuration(validity)
                        .getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url()
                .toString());
    }

    /** Signed with the client's own credentials (the function's role on AWS), like the SDK's presigned URLs. */
    @Override
    public UploadForm presignPost(String key, String contentType, long maxBytes, Instant signedAt, Instant expiresAt) {
        S3ServiceClientConfiguration client = s3.serviceClientConfiguration();
        AwsCredentialsIdentity credentials =
                client.credentialsProvider().resolveIdentity().join();
        String token = credentials instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null;
        Map<String, String> fields = new PostPolicy(bucket, key, contentType, maxBytes, signedAt, expiresAt)
                .fields(client.region().id(), credentials.accessKeyId(), credentials.secretAccessKey(), token);
        return new UploadForm(bucketUrl(key), fields);
    }

    /** The bucket's own URL, virtual-hosted or path-style as the client addresses it: an object's URL less its key. */
    private URI bucketUrl(String key) {
        String objectUrl = s3.utilities().getUrl(b -> b.bucket(bucket).key(key)).toString();
        if (!objectUrl.endsWith("/" + key)) {
            throw new IllegalStateException("an object URL that does not end in its key: " + objectUrl);
        }
        return URI.create(objectUrl.substring(0, objectUrl.length() - key.length()));
    }
}
