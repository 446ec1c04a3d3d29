package app.visage.images;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import java.nio.charset.StandardCharsets;

/**
 * A JPEG file as its marker segments, walked the way libjpeg reads it: fill bytes and stray bytes between
 * segments are skipped, entropy-coded data runs from a scan header to the next marker that is not a
 * restart, and nothing after the end-of-image marker counts. The walk never allocates per segment.
 */
public final class JpegSegments {

    /** A pseudo-marker for the entropy-coded bytes after a scan header. */
    static final int SCAN_DATA = -1;

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int APP0 = 0xE0;
    private static final int APP1 = 0xE1;
    private static final int APP2 = 0xE2;
    private static final int APP14 = 0xEE;
    private static final int COM = 0xFE;
    private static final byte[] EXIF_ID = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] JFIF_ID = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE_ID = "Adobe".getBytes(StandardCharsets.ISO_8859_1);
    /** JFIF's fixed part: identifier, version, units, densities, thumbnail width and height. */
    private static final int JFIF_FIXED = 14;

    private final byte[] b;
    private int pos = 2;
    private boolean inScan;
    private boolean done;
    /** The current segment: its marker (or {@link #SCAN_DATA}) and where it lies, marker bytes included. */
    int marker;

    int start;
    int end;

    private JpegSegments(byte[] b) {
        if (b.length < 2 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != SOI) {
            throw unreadable("JPEG has no start-of-image marker");
        }
        this.b = b;
    }

    /** Moves to the next segment; false at the end of the image or of the bytes. */
    private boolean next() {
        if (done) {
            return false;
        }
        if (inScan) {
            inScan = false;
            int i = pos;
            while (i + 1 < b.length) {
                if ((b[i] & 0xFF) == 0xFF) {
                    int m = b[i + 1] & 0xFF;
                    if (m == 0 || m >= 0xD0 && m <= 0xD7) {
                        i += 2; // stuffed zero or restart marker: still scan data
                        continue;
                    }
                    break;
                }
                i++;
            }
            if (i + 1 >= b.length) {
                i = b.length; // cut off inside the scan
            }
            if (i > pos) {
                marker = SCAN_DATA;
                start = pos;
                end = i;
                pos = i;
                return true;
            }
        }
        while (true) {
            while (pos < b.length && (b[pos] & 0xFF) != 0xFF) {
                pos++; // stray bytes, which libjpeg skips with a warning
            }
            while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
                pos++; // fill bytes
            }
            if (pos >= b.length) {
                done = true;
                return false;
            }
            int m = b[pos] & 0xFF;
            start = pos - 1;
            pos++;
            if (m == 0) {
                continue; // a stuffed zero outside any scan: stray
            }
            marker = m;
            if (m == EOI) {
                end = pos;
                done = true;
                return true;
            }
            if (m == 0x01 || m >= 0xD0 && m <= 0xD7) {
                end = pos; // markers without a length
                return true;
            }
            if (m == SOI) {
                throw unreadable("JPEG has a second start-of-image marker");
            }
            if (pos + 2 > b.length) {
                done = true;
                return false;
            }
            int length = (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF);
            if (length < 2) {
                throw unreadable("JPEG has a segment of length " + length);
            }
            if (pos + length > b.length) {
                done = true; // cut off inside a segment: the rest is unusable
                return false;
            }
            end = pos + length;
            pos = end;
            inScan = m == SOS;
            return true;
        }
    }

    private int payload() {
        return start + 4;
    }

    private boolean payloadStartsWith(byte[] id) {
        if (marker == SCAN_DATA || end - payload() < id.length) {
            return false;
        }
        for (int i = 0; i < id.length; i++) {
            if (b[payload() + i] != id[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startOfFrame(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    /** The orientation in the first EXIF APP1 segment before the first scan; 1 when there is none. */
    static int orientation(byte[] bytes) {
        JpegSegments s = new JpegSegments(bytes);
        while (s.next() && s.marker != SOS) {
            if (s.marker == APP1 && s.payloadStartsWith(EXIF_ID)) {
                int tiff = s.payload() + EXIF_ID.length;
                return Exif.orientation(bytes, tiff, s.end - tiff);
            }
        }
        return 1;
    }

    /** How many frames and scans the file holds: what a decoder would work through. */
    public record Work(int frames, int scans) {}

    public static Work work(byte[] bytes) {
        JpegSegments s = new JpegSegments(bytes);
        int frames = 0;
        int scans = 0;
        while (s.next()) {
            if (startOfFrame(s.marker)) {
                frames++;
            } else if (s.marker == SOS) {
                scans++;
            }
        }
        return new Work(frames, scans);
    }

    /**
     * The same picture without metadata: every APPn and COM segment goes, except the JFIF header (with its
     * thumbnail dropped), ICC colour profiles and Adobe's colour-transform segment, which decoders need to
     * show the same colours. A non-upright EXIF orientation is kept as an EXIF segment holding only it.
     * Stray bytes and anything after the end of the image go too; coded data is copied untouched.
     */
    static byte[] strip(byte[] bytes) {
        int orientation = orientation(bytes);
        return StrippedBytes.of(bytes, out -> writeStripped(bytes, orientation, out));
    }

    private static void writeStripped(byte[] bytes, int orientation, StrippedBytes out) {
        JpegSegments s = new JpegSegments(bytes);
        out.write(0xFF);
        out.write(SOI);
        boolean first = true;
        boolean jfifWritten = false;
        boolean orientationPending = orientation != 1;
        while (s.next()) {
            boolean jfif = !jfifWritten
                    && s.marker == APP0
                    && s.payloadStartsWith(JFIF_ID)
                    && s.end - s.payload() >= JFIF_FIXED;
            if (orientationPending && !(first && jfif)) {
                writeOrientation(out, orientation); // after SOI, or after a JFIF header that comes first
                orientationPending = false;
            }
            first = false;
            if (jfif) {
                // The JFIF header stays (it names the colour space); its thumbnail, a copy of the picture, goes.
                out.write(new byte[] {(byte) 0xFF, (byte) APP0, 0, 2 + JFIF_FIXED});
                out.write(bytes, s.payload(), JFIF_FIXED - 2);
                out.write(0); // thumbnail width
                out.write(0); // and height
                jfifWritten = true;
            } else if (s.kept()) {
                out.write(bytes, s.start, s.end - s.start);
            }
        }
        if (orientationPending) {
            writeOrientation(out, orientation);
        }
    }

    private boolean kept() {
        if (marker == SCAN_DATA || marker < APP0 || marker > 0xEF && marker != COM) {
            return true; // coding segments and markers: frames, tables, scans, restarts, end of image
        }
        return marker == APP2 && payloadStartsWith(ICC_ID) || marker == APP14 && payloadStartsWith(ADOBE_ID);
    }

    private static void writeOrientation(StrippedBytes out, int orientation) {
        int length = 2 + EXIF_ID.length + Exif.ORIENTATION_ONLY_LENGTH;
        out.write(0xFF);
        out.write(APP1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(EXIF_ID);
        out.write(Exif.orientationOnly(orientation));
    }

    private static VisageException unreadable(String message) {
        return new VisageException(ErrorCode.IMAGE_UNREADABLE, message);
    }
}
