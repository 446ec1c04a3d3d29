package app.visage.images;

/** The formats Visage writes its images in: a subset of the formats it reads. */
public enum OutputFormat {
    PNG(ImageFormat.PNG),
    JPEG(ImageFormat.JPEG);

    private final ImageFormat format;

    OutputFormat(ImageFormat format) {
        this.format = format;
    }

    public String mediaType() {
        return format.mediaType();
    }

    public String extension() {
        return format.extension();
    }
}
