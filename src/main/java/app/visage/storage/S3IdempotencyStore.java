package app.visage.storage;

import app.visage.idempotency.IdempotencyRecord;
import app.visage.idempotency.IdempotencyStore;
import app.visage.jobs.Keys;
import app.visage.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Idempotency records as {@code idempotency/{hash}.json}, written through {@link ConditionalWrites}. */
@ApplicationScoped
public class S3IdempotencyStore implements IdempotencyStore {
    private final ConditionalWrites writes;

    public S3IdempotencyStore(ConditionalWrites writes) {
        this.writes = writes;
    }

    @Override
    public Optional<String> create(String hash, IdempotencyRecord record) {
        return writes.create(Keys.idempotency(hash), Json.write(record));
    }

    @Override
    public Optional<Versioned> find(String hash) {
        return writes.read(Keys.idempotency(hash))
                .map(found -> new Versioned(Json.read(found.body(), IdempotencyRecord.class), found.version()));
    }

    @Override
    public Optional<String> replace(String hash, IdempotencyRecord record, String version) {
        return writes.replace(Keys.idempotency(hash), Json.write(record), version);
    }
}
