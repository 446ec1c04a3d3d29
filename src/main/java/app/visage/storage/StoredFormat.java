package app.visage.storage;

import app.visage.json.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * How a stored document type is read and written: Visage's JSON dialect ({@link Json}), with a {@value
 * #VERSION_FIELD} that this build writes as {@code version}. A document without the field is version 1 (every
 * record written before versions existed). A document of a newer version, or with a field its version does not
 * have, is refused with {@link UnreadableRecord} instead of being read without what it does not know: the
 * write that would follow would lose it for good.
 */
public record StoredFormat<T>(Class<T> type, int version) {
    public static final String VERSION_FIELD = "schema_version";

    private static final ObjectReader STRICT =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The document stored at {@code key} (named in errors). */
    public T read(byte[] json, String key) {
        JsonNode tree;
        try {
            tree = STRICT.readTree(json);
        } catch (IOException e) {
            throw new UnreadableRecord(key + " is not JSON", e);
        }
        if (!(tree instanceof ObjectNode document)) {
            throw new UnreadableRecord(key + " is not a JSON object", null);
        }
        JsonNode stated = document.get(VERSION_FIELD);
        int stored = stated == null ? 1 : stated.isInt() ? stated.intValue() : 0;
        if (stored < 1) {
            throw new UnreadableRecord(key + " has " + VERSION_FIELD + " " + stated + ", which is no version", null);
        }
        if (stored > version) {
            throw new UnreadableRecord(
                    key + " is " + type.getSimpleName() + " " + VERSION_FIELD + " " + stored
                            + ", newer than this build reads (" + version + "): left unread, so that nothing of it"
                            + " is lost",
                    null);
        }
        document.put(VERSION_FIELD, stored);
        try {
            return STRICT.forType(type).readValue(document);
        } catch (UnrecognizedPropertyException e) {
            throw new UnreadableRecord(
                    key + " has the field '" + e.getPropertyName() + "', which " + type.getSimpleName() + " "
                            + VERSION_FIELD + " " + stored + " does not have: left unread, so that it is not lost",
                    e);
        } catch (IOException e) {
            throw new UnreadableRecord(key + " cannot be read as " + type.getSimpleName(), e);
        }
    }

    public byte[] write(T document) {
        return Json.write(document);
    }
}
