package app.visage.api;

import app.visage.jobs.model.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * What makes two requests "the same request" for an Idempotency-Key: the route and the body. A multipart
 * body counts by its parts, not its bytes, because a client retrying it may well pick a new boundary.
 */
final class RequestFingerprint {
    private RequestFingerprint() {}

    static String of(HttpRequest request) {
        MessageDigest sha = Sha256.digest();
        add(sha, request.route().routeKey().getBytes(StandardCharsets.UTF_8));
        String type = request.mediaType();
        add(sha, type.getBytes(StandardCharsets.UTF_8));
        if (type.equals("multipart/form-data")) {
            for (Map.Entry<String, Multipart.Part> part : Multipart.parse(
                            request.header("content-type").orElse(""), request.body())
                    .entrySet()) {
                add(sha, part.getKey().getBytes(StandardCharsets.UTF_8));
                add(sha, String.valueOf(part.getValue().contentType()).getBytes(StandardCharsets.UTF_8));
                add(sha, part.getValue().body());
            }
        } else {
            add(sha, request.body());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Length-prefixed, so that no two different sequences of fields hash alike. */
    private static void add(MessageDigest sha, byte[] field) {
        sha.update(ByteBuffer.allocate(8).putLong(field.length).array());
        sha.update(field);
    }
}
