package app.visage.providers.metahuman;

import app.visage.jobs.model.Entropy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A {@code multipart/form-data} body (RFC 7578) built whole in memory, so it goes out with a
 * {@code Content-Length}: a server that reads bodies by length only (as MetaHuman's may) refuses a chunked one.
 * Field names and file names are ASCII chosen by Visage, so they need no escaping.
 */
final class MultipartBody {
    private final String boundary;
    private final byte[] bytes;

    private MultipartBody(String boundary, byte[] bytes) {
        this.boundary = boundary;
        this.bytes = bytes;
    }

    /** One text field and one file, in that order. */
    static MultipartBody of(
            String fieldName, String fieldValue, String fileField, String fileName, String contentType, byte[] file) {
        String boundary = boundaryNotIn(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + 512);
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fieldName + "\"\r\n\r\n");
        out.writeBytes(fieldValue.getBytes(StandardCharsets.UTF_8));
        write(
                out,
                "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
                        + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        out.writeBytes(file);
        write(out, "\r\n--" + boundary + "--\r\n");
        return new MultipartBody(boundary, out.toByteArray());
    }

    /** The request's {@code Content-Type}, naming the boundary. */
    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    byte[] bytes() {
        return bytes;
    }

    /** A random boundary, drawn again in the (vanishingly rare) case the file's bytes hold it. */
    private static String boundaryNotIn(byte[] file) {
        while (true) {
            String boundary = "visage-" + HexFormat.of().formatHex(Entropy.bytes(16));
            if (!contains(file, boundary.getBytes(StandardCharsets.US_ASCII))) {
                return boundary;
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (haystack[i] == needle[0] && Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
