package app.visage.images;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;

/**
 * Removes what a picture says about where, when and on what it was taken (EXIF with GPS, XMP, IPTC,
 * comments, text chunks, embedded thumbnails, trailers after the image), losslessly: only container
 * structure is rewritten, coded pixels are copied untouched. What changes how the pixels are shown stays:
 * colour profiles, JFIF and Adobe colour headers, PNG gamma and transparency, and a non-upright EXIF
 * orientation, kept as an EXIF block holding nothing else so the picture is not turned. A picture with
 * nothing to remove comes back as it came, the same array, and any other as one new array: never more than
 * one copy of a photo of up to 10 MB. Pure Java over the bytes, so native functions can use it.
 */
public final class MetadataStripper {

    private MetadataStripper() {}

    /**
     * @param format what {@link ImageInspector} found the bytes to be
     * @throws VisageException {@code IMAGE_UNREADABLE} when the container is too broken to walk
     */
    public static byte[] strip(byte[] bytes, ImageFormat format) {
        try {
            return switch (format) {
                case JPEG -> JpegSegments.strip(bytes);
                case PNG -> PngChunks.strip(bytes);
                case WEBP -> WebpChunks.strip(bytes);
                case HEIC -> HeifMeta.of(bytes).stripped();
            };
        } catch (IndexOutOfBoundsException e) {
            throw new VisageException(ErrorCode.IMAGE_UNREADABLE, format.name() + " structure is truncated or corrupt");
        }
    }
}
