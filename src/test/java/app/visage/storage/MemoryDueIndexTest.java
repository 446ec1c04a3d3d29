package app.visage.storage;

import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.port.DueIndex;
import app.visage.storage.memory.MemoryBucket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

/** The due-work index in the in-memory bucket, held to the S3 adapter's promises. */
class MemoryDueIndexTest extends DueIndexContract {
    private final MemoryBucket bucket = new MemoryBucket(Clock.fixed(NOW, ZoneOffset.UTC));

    @Override
    DueIndex index() {
        return bucket;
    }

    @Override
    void putRaw(String key, String body) {
        bucket.put(key, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Override
    List<String> markerKeys() {
        return bucket.keys(BucketLayout.DUE);
    }

    @Override
    long listRequestsDuring(Runnable call) {
        int before = bucket.requests().getOrDefault("LIST " + BucketLayout.DUE, 0);
        call.run();
        return bucket.requests().getOrDefault("LIST " + BucketLayout.DUE, 0) - before;
    }
}
