package app.visage.images;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.HeifMeta.Box;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads picture dimensions straight from JPEG, PNG, HEIF and WebP headers. Only marker, chunk and box
 * headers are parsed; no coded data is touched, and neither AWT nor ImageIO is needed, so the functions
 * that build as native executables can check photos and outputs.
 */
final class ContainerHeaders {

    record Size(int width, int height) {}

    private ContainerHeaders() {}

    /** PNG: the IHDR chunk, which the format requires to come first. */
    static Size png(byte[] b) {
        if (b.length < 24 || !Bytes.ascii(b, 12, 4).equals("IHDR")) {
            throw unreadable("PNG header is truncated or corrupt");
        }
        return new Size(toInt(Bytes.u32(b, 16)), toInt(Bytes.u32(b, 20)));
    }

    /** JPEG: the first start-of-frame marker's size, skipping every segment before it by its length. */
    static Size jpeg(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                throw unreadable("JPEG header is truncated or corrupt");
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                i += 2; // markers without a length
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break; // end of image, or scan data before any frame header
            }
            int length = Bytes.u16(b, i + 2);
            boolean startOfFrame =
                    marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                if (i + 9 > b.length) {
                    break;
                }
                return new Size(Bytes.u16(b, i + 7), Bytes.u16(b, i + 5));
            }
            if (length < 2) {
                break;
            }
            i += 2 + length;
        }
        throw unreadable("JPEG header is truncated or corrupt");
    }

    /**
     * The primary item's display size: its {@code ispe} property, turned by its {@code irot} property when
     * that is a quarter turn (libheif applies irot when it decodes, so the size is the shown one). A grid
     * or overlay image is decoded to the canvas its own data declares, so a canvas larger than {@code ispe}
     * is a lie told to pass the size check.
     */
    static Size heif(byte[] b) {
        try {
            Box meta = HeifMeta.find(b, 0, b.length, "meta");
            if (meta == null) {
                throw unreadable("HEIC has no meta box");
            }
            int metaChildren = meta.body() + 4; // meta is a FullBox: version and flags come first
            Box pitm = HeifMeta.find(b, metaChildren, meta.end(), "pitm");
            Box iprp = HeifMeta.find(b, metaChildren, meta.end(), "iprp");
            if (pitm == null || iprp == null) {
                throw unreadable("HEIC has no primary item properties");
            }
            long primary = (b[pitm.body()] & 0xFF) == 0 ? Bytes.u16(b, pitm.body() + 4) : Bytes.u32(b, pitm.body() + 4);
            Box ipco = HeifMeta.find(b, iprp.body(), iprp.end(), "ipco");
            Box ipma = HeifMeta.find(b, iprp.body(), iprp.end(), "ipma");
            if (ipco == null || ipma == null) {
                throw unreadable("HEIC has no item property boxes");
            }
            List<Box> properties = HeifMeta.children(b, ipco.body(), ipco.end());
            Size size = null;
            int quarterTurns = 0;
            for (int index : associations(b, ipma, primary)) {
                if (index < 1 || index > properties.size()) {
                    continue;
                }
                Box p = properties.get(index - 1);
                if (p.type().equals("ispe")) {
                    size = new Size(toInt(Bytes.u32(b, p.body() + 4)), toInt(Bytes.u32(b, p.body() + 8)));
                } else if (p.type().equals("irot")) {
                    quarterTurns = b[p.body()] & 0x03;
                }
            }
            if (size == null) {
                throw unreadable("HEIC primary image has no size");
            }
            Size canvas = HeifMeta.of(b).canvas(primary);
            if (canvas != null && (long) canvas.width() * canvas.height() > (long) size.width() * size.height()) {
                throw unreadable("HEIC canvas is larger than the image's declared size");
            }
            return quarterTurns % 2 == 1 ? new Size(size.height(), size.width()) : size;
        } catch (ArrayIndexOutOfBoundsException e) {
            throw unreadable("HEIC header is truncated");
        }
    }

    /** The canvas size from the first chunk: VP8X (extended), VP8L (lossless) or VP8 (lossy). */
    static Size webp(byte[] b) {
        try {
            String chunk = Bytes.ascii(b, 12, 4);
            switch (chunk) {
                case "VP8X" -> {
                    return new Size(1 + Bytes.u24le(b, 24), 1 + Bytes.u24le(b, 27));
                }
                case "VP8L" -> {
                    if ((b[20] & 0xFF) != 0x2F) {
                        throw unreadable("WebP lossless signature missing");
                    }
                    long bits = Bytes.u32le(b, 21);
                    return new Size(1 + (int) (bits & 0x3FFF), 1 + (int) ((bits >> 14) & 0x3FFF));
                }
                case "VP8 " -> {
                    if ((b[23] & 0xFF) != 0x9D || (b[24] & 0xFF) != 0x01 || (b[25] & 0xFF) != 0x2A) {
                        throw unreadable("WebP frame start code missing");
                    }
                    return new Size(Bytes.u16le(b, 26) & 0x3FFF, Bytes.u16le(b, 28) & 0x3FFF);
                }
                default -> throw unreadable("WebP has no image chunk");
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw unreadable("WebP header is truncated");
        }
    }

    /** The 1-based ipco indices associated with the item, per ISO/IEC 23008-12 ItemPropertyAssociation. */
    private static List<Integer> associations(byte[] b, Box ipma, long item) {
        int version = b[ipma.body()] & 0xFF;
        boolean wideIndex = (b[ipma.body() + 3] & 0x01) != 0;
        int off = ipma.body() + 4;
        long entries = Bytes.u32(b, off);
        off += 4;
        if (entries > HeifMeta.MAX_ENTRIES) {
            throw unreadable("HEIC has more than " + HeifMeta.MAX_ENTRIES + " item property associations");
        }
        Map<Long, List<Integer>> byItem = new HashMap<>();
        for (long e = 0; e < entries && off < ipma.end(); e++) {
            long id;
            if (version < 1) {
                id = Bytes.u16(b, off);
                off += 2;
            } else {
                id = Bytes.u32(b, off);
                off += 4;
            }
            int count = b[off++] & 0xFF;
            var list = new ArrayList<Integer>(count);
            for (int i = 0; i < count; i++) {
                if (wideIndex) {
                    list.add(Bytes.u16(b, off) & 0x7FFF);
                    off += 2;
                } else {
                    list.add(b[off++] & 0x7F);
                }
            }
            byItem.put(id, list);
        }
        return byItem.getOrDefault(item, List.of());
    }

    private static int toInt(long v) {
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw unreadable("image dimensions are out of range");
        }
        return (int) v;
    }

    private static VisageException unreadable(String message) {
        return new VisageException(ErrorCode.IMAGE_UNREADABLE, message);
    }
}
