package app.visage.storage;

import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.model.JobId;
import app.visage.jobs.port.SlotStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Provider slots as {@code slots/{provider}/{n}.json} ({@link StoredSlot}), written through {@link ConditionalWrites}. */
@ApplicationScoped
public class S3SlotStore implements SlotStore {
    private final ConditionalWrites writes;

    public S3SlotStore(ConditionalWrites writes) {
        this.writes = writes;
    }

    @Override
    public Optional<Slot> read(String provider, int n) {
        String key = key(provider, n);
        return writes.read(key)
                .map(found -> new Slot(StoredSlot.FORMAT.read(found.body(), key).toDomain(), found.version()));
    }

    @Override
    public boolean create(String provider, int n, JobId holder) {
        return writes.create(key(provider, n), body(holder)).isPresent();
    }

    @Override
    public boolean replace(String provider, int n, JobId holder, String version) {
        return writes.replace(key(provider, n), body(holder), version).isPresent();
    }

    private static byte[] body(JobId holder) {
        return StoredSlot.FORMAT.write(StoredSlot.of(holder));
    }

    private static String key(String provider, int n) {
        return BucketLayout.SLOTS + provider + "/" + n + ".json";
    }
}
