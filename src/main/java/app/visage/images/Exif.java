package app.visage.images;

/**
 * The one EXIF field Visage reads and keeps: IFD0's Orientation. Read with bounds checks on every offset
 * (a hostile TIFF structure means "upright"), and written as a TIFF holding nothing else, so that
 * stripping a photo's metadata does not turn its picture.
 */
final class Exif {

    static final int ORIENTATION_TAG = 0x0112;
    /** What {@link #orientationOnly} writes: a big-endian TIFF header, one IFD0 entry, no next IFD. */
    static final int ORIENTATION_ONLY_LENGTH = 26;

    private Exif() {}

    /** The orientation (1..8) in the TIFF structure at {@code b[off, off + len)}; 1 when absent or malformed. */
    static int orientation(byte[] b, int off, int len) {
        int end = Math.min(b.length, off + len);
        if (off < 0 || end - off < 8) {
            return 1;
        }
        boolean little;
        if (b[off] == 'I' && b[off + 1] == 'I') {
            little = true;
        } else if (b[off] == 'M' && b[off + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, off + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, off + 4, little);
        if (ifd < 8 || off + ifd + 2 > end) {
            return 1;
        }
        int at = off + (int) ifd;
        int entries = u16(b, at, little);
        for (int i = 0; i < entries; i++) {
            int entry = at + 2 + 12 * i;
            if (entry + 12 > end) {
                break;
            }
            if (u16(b, entry, little) != ORIENTATION_TAG) {
                continue;
            }
            long value = switch (u16(b, entry + 2, little)) {
                case 3, 8 -> u16(b, entry + 8, little); // (S)SHORT, left-justified in the value field
                case 4, 9 -> u32(b, entry + 8, little); // (S)LONG
                default -> 1;
            };
            return value >= 1 && value <= 8 ? (int) value : 1;
        }
        return 1;
    }

    /** A TIFF structure with IFD0 holding only {@code orientation}. */
    static byte[] orientationOnly(int orientation) {
        return new byte[] {
            'M',
            'M',
            0,
            42,
            0,
            0,
            0,
            8, // header: big-endian, IFD0 at 8
            0,
            1, // one entry
            0x01,
            0x12,
            0,
            3,
            0,
            0,
            0,
            1,
            0,
            (byte) orientation,
            0,
            0, // Orientation, SHORT, count 1, value
            0,
            0,
            0,
            0 // no next IFD
        };
    }

    private static int u16(byte[] b, int off, boolean little) {
        return little ? Bytes.u16le(b, off) : Bytes.u16(b, off);
    }

    private static long u32(byte[] b, int off, boolean little) {
        return little ? Bytes.u32le(b, off) : Bytes.u32(b, off);
    }
}
