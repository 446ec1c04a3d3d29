package app.visage.storage;

import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.port.DueIndex;
import app.visage.jobs.port.FileStore;
import app.visage.local.LocalS3;
import app.visage.support.Bucket;
import app.visage.support.S3Requests;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The due-work index on the embedded S3, through the AWS SDK; the bucket's {@code due/} is emptied around each test. */
@QuarkusTest
class S3DueIndexTest extends DueIndexContract {
    @Inject
    S3DueIndex index;

    @Inject
    FileStore files;

    @Inject
    Bucket bucket;

    @Inject
    LocalS3 s3;

    private S3Requests requests;

    @BeforeEach
    @AfterEach
    void emptyTheIndex() {
        files.delete(markerKeys());
        requests = new S3Requests(s3);
    }

    @Override
    DueIndex index() {
        return index;
    }

    @Override
    void putRaw(String key, String body) {
        files.put(key, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Override
    List<String> markerKeys() {
        return bucket.keys(BucketLayout.DUE);
    }

    @Override
    long listRequestsDuring(Runnable call) {
        return requests.during(call).stream()
                .filter(r -> r.type().equals("LIST"))
                .count();
    }
}
