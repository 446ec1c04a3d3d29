package app.visage.api;

import app.visage.jobs.model.Sha256;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.ObjIntConsumer;

/**
 * What makes two requests "the same request" for an Idempotency-Key: the route and the body. A multipart
 * body counts by its parts, not its bytes, because a client retrying it may well pick a new boundary.
 */
final class RequestFingerprint {
    /** Characters of a text body encoded at a time. */
    private static final int CHUNK = 8 * 1024;

    private RequestFingerprint() {}

    static String of(HttpRequest request) {
        MessageDigest sha = Sha256.digest();
        add(sha, request.route().routeKey().getBytes(StandardCharsets.UTF_8));
        String type = request.mediaType();
        add(sha, type.getBytes(StandardCharsets.UTF_8));
        Optional<String> text = request.text();
        if (type.equals("multipart/form-data")) {
            for (Map.Entry<String, Multipart.Part> part : request.parts().entrySet()) {
                add(sha, part.getKey().getBytes(StandardCharsets.UTF_8));
                add(sha, String.valueOf(part.getValue().contentType()).getBytes(StandardCharsets.UTF_8));
                add(sha, part.getValue().body());
            }
        } else if (text.isPresent()) {
            add(sha, text.get());
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

    /**
     * A text body as {@link #add(MessageDigest, byte[])} hashes its UTF-8 bytes, without making them: a
     * JSON body with a data URI is up to 13 MB. Two passes, the first for the length prefix.
     */
    private static void add(MessageDigest sha, String text) {
        Utf8Chunks utf8 = new Utf8Chunks(text);
        long[] length = {0};
        utf8.each((bytes, n) -> length[0] += n);
        sha.update(ByteBuffer.allocate(8).putLong(length[0]).array());
        utf8.each((bytes, n) -> sha.update(bytes, 0, n));
    }

    /**
     * A text's UTF-8 bytes a buffer at a time, as {@code String.getBytes} makes them (a lone surrogate
     * becomes '?'), through the same two small buffers however long the text.
     */
    private static final class Utf8Chunks {
        private final String text;
        private final char[] chars = new char[CHUNK];
        private final CharBuffer in = CharBuffer.wrap(chars);
        private final ByteBuffer out = ByteBuffer.allocate(CHUNK * 3);

        Utf8Chunks(String text) {
            this.text = text;
        }

        void each(ObjIntConsumer<byte[]> sink) {
            CharsetEncoder encoder = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            int from = 0;
            do {
                int to = Math.min(text.length(), from + CHUNK);
                text.getChars(from, to, chars, 0);
                in.clear().limit(to - from);
                boolean last = to == text.length();
                CoderResult result = encoder.encode(in, out, last);
                if (last && result.isUnderflow()) {
                    result = encoder.flush(out);
                }
                if (!result.isUnderflow()) {
                    throw new IllegalStateException("UTF-8 encoding stopped: " + result);
                }
                sink.accept(out.array(), out.position());
                out.clear();
                from = to - in.remaining(); // a high surrogate at a chunk's end waits for its pair in the next
            } while (from < text.length());
        }
    }
}
