package app.visage.jobs.port;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Port: the bucket's photos and outputs (everything but job records). */
public interface FileStore {

    void put(String key, byte[] bytes, String contentType);

    Optional<byte[]> get(String key);

    /** Reads at most {@code maxBytes}; empty if the object is missing. */
    Optional<byte[]> getAtMost(String key, long maxBytes);

    void delete(List<String> keys);

    /** Every object under {@code prefix}, in key order. */
    List<ObjectInfo> list(String prefix);

    URI presignGet(String key, Duration validity);

    /**
     * A form the client POSTs the photo with. S3 itself refuses any other key or content type, an empty file or one
     * over {@code maxBytes}, and any upload after {@code expiresAt}.
     */
    UploadForm presignPost(String key, String contentType, long maxBytes, Instant signedAt, Instant expiresAt);

    record ObjectInfo(String key, long size, Instant lastModified) {}

    /** POST {@code multipart/form-data} to {@code url}: each field in this order, then the photo as {@code file}. */
    record UploadForm(URI url, Map<String, String> fields) {}
}
