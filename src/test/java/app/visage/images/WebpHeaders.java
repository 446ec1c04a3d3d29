package app.visage.images;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-built WebP container headers (RIFF + first chunk), enough for header inspection. */
public final class WebpHeaders {

    private WebpHeaders() {}

    public static byte[] vp8x(int width, int height) {
        ByteBuffer b = start("VP8X", 10);
        b.put((byte) 0).put(new byte[3]);
        putU24(b, width - 1);
        putU24(b, height - 1);
        return b.array();
    }

    public static byte[] vp8l(int width, int height) {
        ByteBuffer b = start("VP8L", 5);
        b.put((byte) 0x2F);
        b.putInt((width - 1) | (height - 1) << 14);
        return b.array();
    }

    public static byte[] vp8(int width, int height) {
        ByteBuffer b = start("VP8 ", 10);
        b.put(new byte[] {0, 0, 0, (byte) 0x9D, 0x01, 0x2A});
        b.putShort((short) width).putShort((short) height);
        return b.array();
    }

    private static ByteBuffer start(String chunk, int payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + payload);
        b.put("WEBP".getBytes(StandardCharsets.US_ASCII))
                .put(chunk.getBytes(StandardCharsets.US_ASCII))
                .putInt(payload);
        return b;
    }

    private static void putU24(ByteBuffer b, int v) {
        b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
    }
}
