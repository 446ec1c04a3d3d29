package app.visage.functions.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An S3 event notification, as AWS delivers it to Lambda. Our own type because the library's
 * {@code S3Event} cannot be built by Jackson. Only the fields Visage reads are declared.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record S3EventNotification(@JsonProperty("Records") List<Record> records) {

    /**
     * The keys (decoded) of the objects this event says were created, in its order. A record that names no
     * object key, or one that is not URL-encoded, starts nothing: S3 never sends one.
     */
    public List<String> createdKeys() {
        List<String> keys = new ArrayList<>();
        if (records == null) {
            return keys;
        }
        for (Record record : records) {
            if (record != null
                    && record.eventName() != null
                    && record.eventName().startsWith("ObjectCreated:")) {
                record.decodedKey().ifPresent(keys::add);
            }
        }
        return keys;
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Record(
            @JsonProperty("eventName") String eventName,
            @JsonProperty("eventTime") String eventTime,
            @JsonProperty("s3") S3 s3) {

        /** The object key: S3 events URL-encode it (a space arrives as '+'). Empty when there is none to decode. */
        public Optional<String> decodedKey() {
            if (s3 == null || s3.object() == null || s3.object().key() == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(URLDecoder.decode(s3.object().key(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3(
            @JsonProperty("bucket") Bucket bucket,
            @JsonProperty("object") S3Object object) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bucket(@JsonProperty("name") String name) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3Object(
            @JsonProperty("key") String key,
            @JsonProperty("size") Long size,
            @JsonProperty("eTag") String eTag) {}
}
