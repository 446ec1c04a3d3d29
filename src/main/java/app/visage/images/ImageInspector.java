package app.visage.images;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import java.util.function.ToIntFunction;

/**
 * Reads a photo's format, size and orientation from its headers only. Pixel data is never decoded, so a
 * small file that claims a huge canvas (a pixel bomb) is rejected before any memory is spent on it.
 */
public final class ImageInspector {

    /** The largest picture accepted: 40 MP, above any phone camera's default output. */
    public static final long MAX_PIXELS = 40_000_000L;

    public ImageHeader inspect(byte[] bytes) {
        ImageFormat format = ImageFormat.sniff(bytes)
                .orElseThrow(() ->
                        new VisageException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "not a JPEG, PNG, HEIC or WebP image"));
        int width;
        int height;
        int orientation = 1;
        switch (format) {
            case JPEG, PNG -> {
                ContainerHeaders.Size size =
                        format == ImageFormat.JPEG ? ContainerHeaders.jpeg(bytes) : ContainerHeaders.png(bytes);
                width = size.width();
                height = size.height();
                orientation = exifOrientation(
                        bytes, format == ImageFormat.JPEG ? JpegSegments::orientation : PngChunks::orientation);
            }
            case HEIC -> {
                // libheif bakes the HEIF transforms (irot/imir) into the pixels it returns, and they take
                // precedence over any EXIF orientation, so the header already gives the shown size.
                ContainerHeaders.Size size = ContainerHeaders.heif(bytes);
                width = size.width();
                height = size.height();
            }
            case WEBP -> {
                ContainerHeaders.Size size = ContainerHeaders.webp(bytes);
                width = size.width();
                height = size.height();
                orientation = exifOrientation(bytes, WebpChunks::orientation);
            }
            default -> throw new IllegalStateException(format.name());
        }
        if (width <= 0 || height <= 0) {
            throw new VisageException(ErrorCode.IMAGE_UNREADABLE, "image header has no size");
        }
        if ((long) width * height > MAX_PIXELS) {
            throw new VisageException(
                    ErrorCode.IMAGE_TOO_LARGE,
                    "image is " + width + "x" + height + " pixels; at most " + MAX_PIXELS / 1_000_000
                            + " MP are accepted");
        }
        return new ImageHeader(format, width, height, orientation);
    }

    /**
     * The EXIF orientation tag, 1 when there is none. Read by walking the container's own structure (no
     * general metadata library: one inflates PNG text chunks whole, so a small zTXt bomb exhausts the heap).
     * Bad or odd metadata is not a reason to refuse a photo whose pixels are fine, so any failure here
     * means "upright".
     */
    private static int exifOrientation(byte[] bytes, ToIntFunction<byte[]> reader) {
        try {
            return reader.applyAsInt(bytes);
        } catch (VisageException | IndexOutOfBoundsException e) {
            return 1;
        }
    }
}
