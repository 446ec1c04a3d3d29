package app.visage.api;

import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes base64 held in a String (an event body, a data URI inside one) straight into the decoded
 * bytes, in chunks, without first copying the text to bytes or to a substring: for a 10 MB photo that
 * is 13 MB of text not copied. MIME semantics (line breaks and other non-alphabet characters ignored),
 * as {@link Base64#getMimeDecoder()}: text that is not plain base64 is handed to it whole.
 */
final class Base64Text {
    /** Characters decoded at a time (a multiple of 4). */
    private static final int CHUNK = 64 * 1024;

    private Base64Text() {}

    /** Decodes {@code text[from, to)}; IllegalArgumentException if it is not valid base64. */
    static byte[] decode(String text, int from, int to) {
        byte[] out = decodePlain(text, from, to);
        return out != null ? out : Base64.getMimeDecoder().decode(text.substring(from, to));
    }

    /** The bytes of plain base64 (alphabet and final padding only), or null for anything else. */
    @SuppressWarnings(
            "deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, all base64 needs
    static byte[] decodePlain(String text, int from, int to) {
        int n = to - from;
        int rest = n % 4;
        if (rest == 1) {
            return null;
        }
        int padding = rest != 0 ? 0 : n == 0 ? 0 : text.charAt(to - 1) != '=' ? 0 : text.charAt(to - 2) == '=' ? 2 : 1;
        int size = n / 4 * 3 + (rest == 0 ? 0 : rest - 1) - padding;
        byte[] out = new byte[size];
        byte[] in = new byte[Math.min(CHUNK, n)];
        byte[] decoded = new byte[in.length / 4 * 3 + 3];
        Base64.Decoder decoder = Base64.getDecoder();
        int written = 0;
        try {
            for (int at = from; at < to; at += CHUNK) {
                int end = Math.min(to, at + CHUNK);
                text.getBytes(at, end, in, 0);
                int count = decoder.decode(end - at == in.length ? in : Arrays.copyOf(in, end - at), decoded);
                if (written + count > size) {
                    return null;
                }
                System.arraycopy(decoded, 0, out, written, count);
                written += count;
            }
        } catch (IllegalArgumentException e) {
            return null; // not plain base64 (line breaks, stray characters, padding inside): the MIME decoder decides
        }
        return written == size ? out : null;
    }
}
