package app.visage.jobs;

import app.visage.images.ImageHeader;

/** A photo whose size, format and header dimensions have been checked, not yet decoded. */
public record Photo(byte[] bytes, ImageHeader header) {
    public String contentType() {
        return header.format().mediaType();
    }

    public String extension() {
        return header.format().extension();
    }
}
