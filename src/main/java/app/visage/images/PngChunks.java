package app.visage.images;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A PNG file as its chunks. Nothing is inflated: text and profile chunks are skipped by their length,
 * so a compressed chunk that would expand to gigabytes costs nothing here.
 */
final class PngChunks {

    private static final int SIGNATURE = 8;
    /**
     * The chunks a PNG keeps when stripped: the critical ones, and the ancillary ones that change how its
     * pixels are shown (transparency, colour space, gamma, significant bits, background, pixel aspect and
     * density, HDR metadata, animation).
     */
    private static final Set<String> KEPT = Set.of(
            "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "cICP", "mDCv", "cLLi", "sBIT",
            "bKGD", "pHYs", "acTL", "fcTL", "fdAT");

    private PngChunks() {}

    /** A chunk: its type and where it lies, length field to CRC inclusive. */
    private record Chunk(String type, int start, int data, int end) {}

    private interface Visitor {
        /** @return false to stop the walk */
        boolean chunk(Chunk chunk);
    }

    /** Visits every complete chunk up to and including IEND; a chunk cut off ends the walk. */
    private static void walk(byte[] b, Visitor visitor) {
        if (b.length < SIGNATURE || (b[0] & 0xFF) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') {
            throw new VisageException(ErrorCode.IMAGE_UNREADABLE, "PNG signature missing");
        }
        int pos = SIGNATURE;
        while (pos + 12 <= b.length) {
            long length = Bytes.u32(b, pos);
            long end = pos + 12 + length;
            if (end > b.length) {
                return;
            }
            Chunk chunk = new Chunk(new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1), pos, pos + 8, (int) end);
            if (!visitor.chunk(chunk) || chunk.type.equals("IEND")) {
                return;
            }
            pos = (int) end;
        }
    }

    /** The orientation in the first eXIf chunk; 1 when there is none. */
    static int orientation(byte[] b) {
        int[] found = {1};
        walk(b, c -> {
            if (c.type.equals("eXIf")) {
                found[0] = Exif.orientation(b, c.data, c.end - 4 - c.data);
                return false;
            }
            return true;
        });
        return found[0];
    }

    /**
     * The same picture without metadata: only {@link #KEPT} chunks are copied (text, EXIF, time stamps and
     * unknown ancillary chunks go; an unknown critical chunk makes the file one no decoder should show),
     * and nothing after IEND. A non-upright EXIF orientation is kept as an eXIf chunk holding only it.
     */
    static byte[] strip(byte[] b) {
        int orientation = orientation(b);
        return StrippedBytes.of(b, out -> writeStripped(b, orientation, out));
    }

    private static void writeStripped(byte[] b, int orientation, StrippedBytes out) {
        out.write(b, 0, SIGNATURE);
        boolean[] orientationPending = {orientation != 1};
        walk(b, c -> {
            if (orientationPending[0] && c.type.equals("IDAT")) {
                writeChunk(out, "eXIf", Exif.orientationOnly(orientation));
                orientationPending[0] = false;
            }
            if (KEPT.contains(c.type)) {
                out.write(b, c.start, c.end - c.start);
            } else if (Character.isUpperCase(c.type.charAt(0))) {
                throw new VisageException(
                        ErrorCode.IMAGE_UNREADABLE,
                        "PNG has an unknown critical chunk '" + c.type.replaceAll("[^A-Za-z]", "?") + "'");
            }
            return true;
        });
    }

    private static void writeChunk(StrippedBytes out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        writeInt(out, data.length);
        out.write(name);
        out.write(data);
        writeInt(out, (int) crc.getValue());
    }

    private static void writeInt(StrippedBytes out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16 & 0xFF);
        out.write(v >>> 8 & 0xFF);
        out.write(v & 0xFF);
    }
}
