package app.visage.images;

/**
 * What a photo's headers say: its format, stored pixel size and EXIF orientation (1..8, 1 when absent).
 * Width and height are as stored; {@link #displayWidth()}/{@link #displayHeight()} are as shown once the
 * orientation is applied.
 */
public record ImageHeader(ImageFormat format, int width, int height, int orientation) {

    public ImageHeader {
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("dimensions must be positive");
        }
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("orientation must be 1..8");
        }
    }

    public long pixels() {
        return (long) width * height;
    }

    /** Orientations 5..8 turn the picture a quarter, so the shown width is the stored height. */
    public boolean swapsAxes() {
        return orientation >= 5;
    }

    public int displayWidth() {
        return swapsAxes() ? height : width;
    }

    public int displayHeight() {
        return swapsAxes() ? width : height;
    }
}
