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

    /** The record of this photo stored as the job's input, {@code inputs/{id}/face.{ext}}. */
    public StoredObject asInputOf(JobId id) {
        return new StoredObject(Keys.input(id, extension()), contentType(), bytes.length, header.displayWidth(),
                header.displayHeight());
    }
}
