package app.visage.idempotency;

import java.util.Optional;

/** Port: the records of Idempotency-Keys, each written only if absent or still at a known version. */
public interface IdempotencyStore {

    /** Writes the record only if none exists under {@code hash}: its version, or empty if one does. */
    Optional<String> create(String hash, IdempotencyRecord record);

    Optional<Versioned> find(String hash);

    /** Replaces the record only if it is still at {@code version}: the new version, or empty. */
    Optional<String> replace(String hash, IdempotencyRecord record, String version);

    record Versioned(IdempotencyRecord record, String version) {}
}
