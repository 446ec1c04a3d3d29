package app.visage.api;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small multipart/form-data reader over a body already in memory (API Gateway hands us all of it). */
final class Multipart {
    private static final Pattern BOUNDARY =
            Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    record Part(String name, String contentType, byte[] body) {}

    private Multipart() {}

    static Map<String, Part> parse(String contentType, byte[] body) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw invalid("multipart body without a boundary");
        }
        byte[] delimiter = ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.US_ASCII);
        Map<String, Part> parts = new LinkedHashMap<>();
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw invalid("multipart body has no parts");
        }
        while (true) {
            pos += delimiter.length;
            if (pos + 2 <= body.length && body[pos] == '-' && body[pos + 1] == '-') {
                return parts; // closing delimiter
            }
            pos = skipLineEnd(body, pos);
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), pos);
            if (headerEnd < 0) {
                throw invalid("multipart part without headers");
            }
            Map<String, String> headers = headers(new String(body, pos, headerEnd - pos, StandardCharsets.UTF_8));
            int start = headerEnd + 4;
            int next = indexOf(body, concat("\r\n".getBytes(StandardCharsets.US_ASCII), delimiter), start);
            if (next < 0) {
                throw invalid("multipart body is truncated");
            }
            Matcher name = NAME.matcher(headers.getOrDefault("content-disposition", ""));
            if (!name.find()) {
                throw invalid("multipart part without a name");
            }
            if (parts.put(
                            name.group(1),
                            new Part(name.group(1), headers.get("content-type"), Arrays.copyOfRange(body, start, next)))
                    != null) {
                throw invalid("multipart part " + name.group(1) + " appears twice");
            }
            pos = next + 2;
        }
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : block.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static int skipLineEnd(byte[] body, int pos) {
        if (pos + 1 < body.length && body[pos] == '\r' && body[pos + 1] == '\n') {
            return pos + 2;
        }
        throw invalid("malformed multipart delimiter");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static VisageException invalid(String message) {
        return new VisageException(ErrorCode.INVALID_REQUEST, message);
    }
}
