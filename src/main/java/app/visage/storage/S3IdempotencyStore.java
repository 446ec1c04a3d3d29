package app.visage.storage;

import app.visage.idempotency.IdempotencyRecord;
import app.visage.idempotency.IdempotencyStore;
import app.visage.jobs.model.Keys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Idempotency records as {@code idempotency/{hash}.json} ({@link StoredIdempotencyRecord}), written through
 * {@link ConditionalWrites}.
 */
@ApplicationScoped
public class S3IdempotencyStore implements IdempotencyStore {
    private final ConditionalWrites writes;

    public S3IdempotencyStore(ConditionalWrites writes) {
        this.writes = writes;
    }

    @Override
    public Optional<String> create(String hash, IdempotencyRecord record) {
        return writes.create(Keys.idempotency(hash), body(record));
    }

    @Override
    public Optional<Versioned> find(String hash) {
        String key = Keys.idempotency(hash);
        return writes.read(key)
                .map(found -> new Versioned(
                        StoredIdempotencyRecord.FORMAT.read(found.body(), key).toDomain(), found.version()));
    }

    @Override
    public Optional<String> replace(String hash, IdempotencyRecord record, String version) {
        return writes.replace(Keys.idempotency(hash), body(record), version);
    }

    private static byte[] body(IdempotencyRecord record) {
        return StoredIdempotencyRecord.FORMAT.write(StoredIdempotencyRecord.of(record));
    }
}
