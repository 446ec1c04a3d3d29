package app.visage.idempotency;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The idempotency port in memory, with the S3 adapter's conditional-write semantics; versions count writes. */
final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Map<String, Versioned> records = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public synchronized Optional<String> create(String hash, IdempotencyRecord record) {
        if (records.containsKey(hash)) {
            return Optional.empty();
        }
        return Optional.of(put(hash, record));
    }

    @Override
    public Optional<Versioned> find(String hash) {
        return Optional.ofNullable(records.get(hash));
    }

    @Override
    public synchronized Optional<String> replace(String hash, IdempotencyRecord record, String version) {
        Versioned current = records.get(hash);
        if (current == null || !current.version().equals(version)) {
            return Optional.empty();
        }
        return Optional.of(put(hash, record));
    }

    private String put(String hash, IdempotencyRecord record) {
        String version = "v" + versions.incrementAndGet();
        records.put(hash, new Versioned(record, version));
        return version;
    }

    IdempotencyRecord only() {
        return records.values().iterator().next().record();
    }
}
