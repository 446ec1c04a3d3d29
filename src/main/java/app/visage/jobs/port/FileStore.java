package app.visage.jobs.port;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    /** A URL the client PUTs the photo to, signed for exactly this content type. */
    URI presignPut(String key, String contentType, Duration validity);

    record ObjectInfo(String key, long size, Instant lastModified) {}
}
