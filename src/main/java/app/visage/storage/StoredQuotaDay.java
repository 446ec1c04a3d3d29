package app.visage.storage;

import static app.visage.storage.StoredFormat.VERSION_FIELD;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code quotas/{tenant}/days/{yyyy-MM-dd}.json}: how many jobs the tenant created that UTC day. */
@RegisterForReflection
public record StoredQuotaDay(
        @JsonProperty(VERSION_FIELD) int schemaVersion,
        @JsonProperty("jobs") int jobs) {

    public static final StoredFormat<StoredQuotaDay> FORMAT = new StoredFormat<>(StoredQuotaDay.class, 1);

    public static StoredQuotaDay of(int jobs) {
        return new StoredQuotaDay(FORMAT.version(), jobs);
    }
}
