package app.visage.images;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** A WebP file as its RIFF chunks. Metadata lives only in the extended format (a leading VP8X chunk). */
final class WebpChunks {

    private static final int HEADER = 12;
    private static final int VP8X_FLAGS = HEADER + 8;
    private static final int FLAG_XMP = 0x04;
    private static final int FLAG_EXIF = 0x08;
    private static final byte[] EXIF_ID = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    /** What the extended format keeps when stripped: the canvas, colour profile, animation and image data. */
    private static final Set<String> KEPT = Set.of("VP8X", "ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L");

    private WebpChunks() {}

    /** A chunk: its type, where its header starts, and its payload (without the padding byte). */
    private record Chunk(String type, int start, int data, int size) {}

    private interface Visitor {
        void chunk(Chunk chunk);
    }

    /** Visits every complete chunk inside the RIFF size; a chunk cut off ends the walk. */
    private static void walk(byte[] b, Visitor visitor) {
        if (b.length < HEADER
                || !Bytes.ascii(b, 0, 4).equals("RIFF")
                || !Bytes.ascii(b, 8, 4).equals("WEBP")) {
            throw new VisageException(ErrorCode.IMAGE_UNREADABLE, "WebP RIFF header missing");
        }
        long limit = Math.min(b.length, 8 + Bytes.u32le(b, 4));
        int pos = HEADER;
        while (pos + 8 <= limit) {
            long size = Bytes.u32le(b, pos + 4);
            if (pos + 8 + size > limit) {
                return;
            }
            visitor.chunk(new Chunk(Bytes.ascii(b, pos, 4), pos, pos + 8, (int) size));
            pos += 8 + (int) size + (int) (size & 1);
        }
    }

    private static boolean extended(byte[] b) {
        return b.length >= VP8X_FLAGS + 10 && Bytes.ascii(b, HEADER, 4).equals("VP8X");
    }

    /** The orientation in the EXIF chunk of an extended-format file; 1 when there is none. */
    static int orientation(byte[] b) {
        if (!extended(b)) {
            return 1;
        }
        int[] found = {0};
        walk(b, c -> {
            if (found[0] == 0 && c.type.equals("EXIF")) {
                // The format says the payload is a TIFF structure; some writers put JPEG's "Exif\0\0" first.
                int tiff = Bytes.startsWith(b, c.data, EXIF_ID) ? c.data + EXIF_ID.length : c.data;
                found[0] = Exif.orientation(b, tiff, c.data + c.size - tiff);
            }
        });
        return found[0] == 0 ? 1 : found[0];
    }

    /**
     * The same picture without metadata. A simple-format file keeps only its image chunk. An extended one
     * keeps {@link #KEPT} chunks, loses EXIF, XMP and unknown chunks, and has its VP8X flags and RIFF size
     * corrected; a non-upright EXIF orientation is kept as an EXIF chunk holding only it.
     */
    static byte[] strip(byte[] b) {
        if (!extended(b)) {
            return StrippedBytes.of(b, out -> {
                out.write(b, 0, HEADER);
                boolean[] first = {true};
                walk(b, c -> {
                    if (first[0]) {
                        copy(out, b, c);
                        first[0] = false;
                    }
                });
                writeRiffSize(out);
            });
        }
        int orientation = orientation(b);
        return StrippedBytes.of(b, out -> {
            out.write(b, 0, HEADER);
            walk(b, c -> {
                if (KEPT.contains(c.type)) {
                    copy(out, b, c);
                }
            });
            if (orientation != 1) {
                byte[] tiff = Exif.orientationOnly(orientation);
                out.write("EXIF".getBytes(StandardCharsets.ISO_8859_1));
                writeU32le(out, tiff.length);
                out.write(tiff); // even length: no padding byte
            }
            // The walk visits the VP8X chunk first, and keeps it, unless it is cut off and nothing is visited.
            if (out.size() < VP8X_FLAGS + 1) {
                throw new VisageException(ErrorCode.IMAGE_UNREADABLE, "WebP VP8X chunk is truncated");
            }
            writeRiffSize(out);
            int flags = b[VP8X_FLAGS] & ~(FLAG_XMP | FLAG_EXIF);
            out.set(VP8X_FLAGS, orientation != 1 ? flags | FLAG_EXIF : flags);
        });
    }

    /** Copies a chunk with its padding byte, written as zero even where the input's last one was cut off. */
    private static void copy(StrippedBytes out, byte[] b, Chunk c) {
        out.write(b, c.start, 8 + c.size);
        if ((c.size & 1) == 1) {
            out.write(0);
        }
    }

    private static void writeRiffSize(StrippedBytes out) {
        int size = out.size() - 8;
        out.set(4, size);
        out.set(5, size >> 8);
        out.set(6, size >> 16);
        out.set(7, size >> 24);
    }

    private static void writeU32le(StrippedBytes out, int v) {
        out.write(v & 0xFF);
        out.write(v >> 8 & 0xFF);
        out.write(v >> 16 & 0xFF);
        out.write(v >>> 24);
    }
}
