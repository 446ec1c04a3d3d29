package app.visage.local.s3;

import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes conditional writes atomic and reports created objects.
 *
 * <p>S3Proxy 4.x checks {@code If-Match} in {@code S3ProxyHandler.handlePutBlob} (and
 * {@code handleCompleteMultipartUpload}) with a HEAD ({@code blobMetadataIfPresent} +
 * {@code checkConditionalWrite}) and only then calls {@code putBlob}: two separate steps, so a
 * concurrent writer can slip in between. It forwards both conditions into the request object
 * ({@code PutObjectRequest.ifMatch/ifNoneMatch}, same for complete), so this decorator re-checks
 * them inside {@code putBlob}/{@code completeMultipartUpload} while holding a per-key lock that
 * every write and delete of that key also takes. The handler's own early check stays harmless: it
 * can only reject a request whose condition really was false at that instant. ({@code If-None-Match:
 * *} alone is already atomic in S3Proxy's NIO.2 stores, via a hard link; the lock covers it anyway.)
 *
 * <p>Being a {@link ForwardingBlobStore} matters: S3Proxy unwraps those to find the backend type
 * (filesystem/transient) that its quirks, conditional-write support included, depend on.
 */
final class KeyLockingBlobStore extends ForwardingBlobStore {
    /** S3Proxy's internal multipart bookkeeping object; not a user object, so never reported. */
    private static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

    private final ConcurrentHashMap<String, KeyLock> locks = new ConcurrentHashMap<>();
    private final Consumer<EmbeddedS3.ObjectCreated> onCreated;

    KeyLockingBlobStore(BlobStore delegate, Consumer<EmbeddedS3.ObjectCreated> onCreated) {
        super(delegate);
        this.onCreated = onCreated;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        // Failing here before reading the body is fine: RequestBodyFilter consumes it before the
        // 412 goes out, so the client gets the answer rather than a broken connection.
        return write(
                RequestBodyFilter.isFormPost() ? "ObjectCreated:Post" : "ObjectCreated:Put",
                request.bucket(),
                request.key(),
                request.ifMatch(),
                request.ifNoneMatch(),
                () -> delegate().putBlob(request, input));
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        // S3Proxy passes no destination conditions for CopyObject; the lock still orders it.
        return write(
                "ObjectCreated:Copy",
                request.destinationBucket(),
                request.destinationKey(),
                null,
                null,
                () -> delegate().copyBlob(request));
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        return write(
                "ObjectCreated:CompleteMultipartUpload",
                upload.containerName(),
                upload.blobName(),
                request.ifMatch(),
                request.ifNoneMatch(),
                () -> delegate().completeMultipartUpload(upload, request));
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        // A delete between another writer's check and put would void that writer's If-Match.
        // BlobStore.removeBlobs (DeleteObjects) fans out to this method.
        return withKeyLock(request.bucket(), request.key(), () -> delegate().removeBlob(request));
    }

    private <T> T write(
            String eventName, String bucket, String key, String ifMatch, String ifNoneMatch, Supplier<T> put) {
        Written<T> written = withKeyLock(bucket, key, () -> {
            if (ifMatch != null || ifNoneMatch != null) {
                checkPreconditions(delegate().blobMetadataIfPresent(bucket, key), ifMatch, ifNoneMatch);
            }
            T result = put.get();
            // Read back under the lock: size and ETag of exactly this write, even for chunked
            // uploads whose request carries no length.
            HeadObjectResponse head =
                    key.startsWith(MULTIPART_STUB_PREFIX) ? null : delegate().blobMetadataIfPresent(bucket, key);
            return new Written<>(result, head);
        });
        HeadObjectResponse head = written.head();
        if (head != null) {
            long size = head.contentLength() == null ? -1 : head.contentLength();
            onCreated.accept(
                    new EmbeddedS3.ObjectCreated(eventName, bucket, key, size, unquote(head.eTag()), Instant.now()));
        }
        return written.result();
    }

    private record Written<T>(T result, HeadObjectResponse head) {}

    /** Same rules as S3Proxy's {@code checkConditionalWrite}, so the answers do not change. */
    private static void checkPreconditions(HeadObjectResponse current, String ifMatch, String ifNoneMatch) {
        if (ifMatch != null) {
            if (current == null) {
                throw new S3ProxyException(S3ErrorCode.NO_SUCH_KEY);
            }
            if (!ifMatch.equals("*") && !sameETag(ifMatch, current.eTag())) {
                throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
            }
        }
        if (ifNoneMatch != null
                && current != null
                && (ifNoneMatch.equals("*") || sameETag(ifNoneMatch, current.eTag()))) {
            throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
        }
    }

    private static boolean sameETag(String a, String b) {
        return b != null && unquote(a).equals(unquote(b));
    }

    static String unquote(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }

    private <T> T withKeyLock(String bucket, String key, Supplier<T> action) {
        String id = bucket + '/' + key;
        // Reference-counted so the map only holds keys that are being written right now.
        KeyLock keyLock = locks.compute(id, (k, existing) -> {
            KeyLock l = existing == null ? new KeyLock() : existing;
            l.users++;
            return l;
        });
        keyLock.lock.lock();
        try {
            return action.get();
        } finally {
            keyLock.lock.unlock();
            locks.computeIfPresent(id, (k, l) -> --l.users == 0 ? null : l);
        }
    }

    private static final class KeyLock {
        final ReentrantLock lock = new ReentrantLock();
        int users; // only touched inside ConcurrentHashMap.compute for this key
    }
}
