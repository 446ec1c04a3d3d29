package app.visage.images;

import java.util.Optional;
import java.util.Set;

/** The photo formats Visage accepts, recognised by their magic bytes (never by name or declared type). */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    HEIC("image/heic", "heic"),
    WEBP("image/webp", "webp");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** HEIF brands that carry a still image we can decode (HEVC-coded or the generic MIAF/HEIF ones). */
    private static final Set<String> HEIF_BRANDS =
            Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1");

    private final String mediaType;
    private final String extension;

    ImageFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    /** The format the bytes start like, or empty when they are none of ours. */
    public static Optional<ImageFormat> sniff(byte[] bytes) {
        if (bytes == null) {
            return Optional.empty();
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (Bytes.startsWith(bytes, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (bytes.length >= 12
                && Bytes.ascii(bytes, 0, 4).equals("RIFF")
                && Bytes.ascii(bytes, 8, 4).equals("WEBP")) {
            return Optional.of(WEBP);
        }
        if (isHeif(bytes)) {
            return Optional.of(HEIC);
        }
        return Optional.empty();
    }

    /** An ISO-BMFF file whose leading {@code ftyp} box names a HEIF still-image brand (major or compatible). */
    private static boolean isHeif(byte[] b) {
        if (b.length < 16 || !Bytes.ascii(b, 4, 4).equals("ftyp")) {
            return false;
        }
        long size = Bytes.u32(b, 0);
        if (size < 16 || size > 4096) {
            return false;
        }
        int end = (int) Math.min(size, b.length);
        String major = Bytes.ascii(b, 8, 4);
        if (major.equals("avif") || major.equals("avis")) {
            return false; // AV1 in HEIF also lists mif1, but it is AVIF, not HEIC
        }
        if (HEIF_BRANDS.contains(major)) {
            return true;
        }
        // Compatible brands follow the major brand (4 bytes) and minor version (4 bytes).
        for (int off = 16; off + 4 <= end; off += 4) {
            if (HEIF_BRANDS.contains(Bytes.ascii(b, off, 4))) {
                return true;
            }
        }
        return false;
    }
}
