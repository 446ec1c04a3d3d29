package app.visage.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;

/** The committed test photos (src/test/resources/photos, sources in SOURCES.md). */
public final class Photos {
    private Photos() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Photos.class.getResourceAsStream("/photos/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test photo " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String dataUri(String name, String mediaType) {
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes(name));
    }
}
