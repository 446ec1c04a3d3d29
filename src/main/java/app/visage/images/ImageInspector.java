package app.visage.images;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads a photo's format, size and orientation from its headers only. Pixel data is never decoded, so a
 * small file that claims a huge canvas (a pixel bomb) is rejected before any memory is spent on it.
 */
public final class ImageInspector {

    /** The largest picture accepted: 40 MP, above any phone camera's default output. */
    public static final long MAX_PIXELS = 40_000_000L;

    public ImageHeader inspect(byte[] bytes) {
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new VisageException(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE, "not a JPEG, PNG, HEIC or WebP image"));
        int width;
        int height;
        int orientation = 1;
        switch (format) {
            case JPEG, PNG -> {
                int[] size = imageIoSize(bytes, format);
                width = size[0];
                height = size[1];
                orientation = exifOrientation(bytes);
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
                orientation = exifOrientation(bytes);
            }
            default -> throw new IllegalStateException(format.name());
        }
        if (width <= 0 || height <= 0) {
            throw new VisageException(ErrorCode.IMAGE_UNREADABLE, "image header has no size");
        }
        if ((long) width * height > MAX_PIXELS) {
            throw new VisageException(ErrorCode.IMAGE_TOO_LARGE,
                    "image is " + width + "x" + height + " pixels; at most " + MAX_PIXELS / 1_000_000 + " MP are accepted");
        }
        return new ImageHeader(format, width, height, orientation);
    }

    private static int[] imageIoSize(byte[] bytes, ImageFormat format) {
        ImageReader reader = reader(format);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            // seekForwardOnly + ignoreMetadata: the reader parses the header segments and stops.
            reader.setInput(in, true, true);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } catch (IOException | RuntimeException e) {
            throw new VisageException(ErrorCode.IMAGE_UNREADABLE, format.name() + " header is truncated or corrupt");
        } finally {
            reader.dispose();
        }
    }

    static ImageReader reader(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format == ImageFormat.JPEG ? "jpeg" : "png");
        if (!readers.hasNext()) {
            throw new VisageException(ErrorCode.INTERNAL, "no ImageIO reader for " + format.name());
        }
        return readers.next();
    }

    /**
     * The EXIF orientation tag, 1 when there is none. Bad or odd metadata is not a reason to refuse a photo
     * whose pixels are fine, so any failure here means "upright".
     */
    private static int exifOrientation(byte[] bytes) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
            ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int value = ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return value >= 1 && value <= 8 ? value : 1;
            }
        } catch (Exception e) {
            // fall through: treat as upright
        }
        return 1;
    }
}
