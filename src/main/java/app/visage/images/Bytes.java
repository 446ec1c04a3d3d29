package app.visage.images;

import java.nio.charset.StandardCharsets;

/**
 * The integer and tag readers every container parser here needs. Out of range reads throw
 * {@link ArrayIndexOutOfBoundsException}, which the parsers turn into {@code image_unreadable}.
 */
final class Bytes {
    private Bytes() {}

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static long u32(byte[] b, int off) {
        return ((b[off] & 0xFFL) << 24)
                | ((b[off + 1] & 0xFFL) << 16)
                | ((b[off + 2] & 0xFFL) << 8)
                | (b[off + 3] & 0xFFL);
    }

    static int u16le(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
    }

    static int u24le(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | ((b[off + 2] & 0xFF) << 16);
    }

    static long u32le(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    /** {@code len} bytes as Latin-1 text: a box, chunk or brand tag. */
    static String ascii(byte[] b, int off, int len) {
        if (off + len > b.length) {
            throw new ArrayIndexOutOfBoundsException(off + len);
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    static boolean startsWith(byte[] b, int off, byte[] prefix) {
        if (b.length < off + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
