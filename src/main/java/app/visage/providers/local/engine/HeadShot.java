package app.visage.providers.local.engine;

import app.visage.images.OutputFormat;

/** An encoded head-and-shoulders portrait of exactly {@code width} x {@code height} pixels. */
public record HeadShot(byte[] bytes, OutputFormat format, int width, int height) {

    public String mediaType() {
        return format.mediaType();
    }
}
