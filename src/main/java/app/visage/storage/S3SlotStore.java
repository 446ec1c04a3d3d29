package app.visage.storage;

import app.visage.jobs.BucketLayout;
import app.visage.jobs.JobId;
import app.visage.jobs.SlotStore;
import app.visage.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/**
 * Provider slots as {@code slots/{provider}/{n}.json}: {@code {"job_id": "…"}}, or {@code {}} when free, written
 * through {@link ConditionalWrites}.
 */
@ApplicationScoped
public class S3SlotStore implements SlotStore {
    private final ConditionalWrites writes;

    public S3SlotStore(ConditionalWrites writes) {
        this.writes = writes;
    }

    @Override
    public Optional<Slot> read(String provider, int n) {
        return writes.read(key(provider, n)).map(found -> {
            Object holder = Json.read(found.body(), Map.class).get("job_id");
            return new Slot(holder == null ? null : JobId.of(holder.toString()), found.version());
        });
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
        return Json.write(Collections.singletonMap("job_id", holder == null ? null : holder.value()));
    }

    private static String key(String provider, int n) {
        return BucketLayout.SLOTS + provider + "/" + n + ".json";
    }
}
