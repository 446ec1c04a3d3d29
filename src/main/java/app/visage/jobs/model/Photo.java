package app.visage.jobs.model;

import app.visage.images.ImageHeader;
import app.visage.images.MetadataStripper;

/** A photo whose size, format and header dimensions have been checked, not yet decoded. */
public record Photo(byte[] bytes, ImageHeader header) {
    /**
     * A photo as received, made into what Visage stores and sends to providers: the same picture without
     * its metadata (no provider needs to know where, when or with what it was taken). Its orientation is
     * kept, so it is shown, and decoded by the local engine, exactly as before.
     */
    public static Photo received(byte[] bytes, ImageHeader header) {
        return new Photo(MetadataStripper.strip(bytes, header.format()), header);
    }

    public String contentType() {
        return header.format().mediaType();
    }

    public String extension() {
        return header.format().extension();
    }

    /** The record of this photo stored as the job's input, {@code inputs/{id}/face.{ext}}. */
    public StoredObject asInputOf(JobId id) {
        return new StoredObject(
                Keys.input(id, extension()),
                contentType(),
                bytes.length,
                header.displayWidth(),
                header.displayHeight());
    }
}
