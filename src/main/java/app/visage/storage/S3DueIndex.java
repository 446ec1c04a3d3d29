package app.visage.storage;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Work;
import app.visage.jobs.port.DueIndex;
import app.visage.messages.UnreadableMessage;
import app.visage.messages.WorkMessages;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The due-work index in the bucket: one object per marker at {@link Keys#due}, its body the work's {@link
 * WorkMessages} document. Keys sort by minute, so a listing from the start of {@code due/} reads what is due first
 * and stops at the first marker that is not: with nothing due, one list request, however many timers wait.
 */
@ApplicationScoped
public class S3DueIndex implements DueIndex {
    /** ListObjectsV2 and DeleteObjects take at most 1,000 keys a call. */
    private static final int MOST_KEYS = 1000;

    private final S3Client s3;
    private final String bucket;

    public S3DueIndex(S3Client s3, VisageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    @Override
    public void add(Work work) {
        s3.putObject(
                b -> b.bucket(bucket).key(Keys.due(work)).contentType("application/json"),
                RequestBody.fromString(WorkMessages.encode(work), StandardCharsets.UTF_8));
    }

    @Override
    public List<Marker> dueBy(Instant until, int max) {
        String notYetDue = Keys.dueMinute(until.plus(Duration.ofMinutes(1)));
        List<Marker> due = new ArrayList<>();
        String token = null;
        while (due.size() < max) {
            String after = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket)
                    .prefix(BucketLayout.DUE)
                    .maxKeys(Math.min(max, MOST_KEYS))
                    .continuationToken(after));
            for (S3Object object : page.contents()) {
                if (object.key().compareTo(notYetDue) >= 0 || due.size() == max) {
                    return due;
                }
                read(object.key(), due);
            }
            if (!page.isTruncated()) {
                return due;
            }
            token = page.nextContinuationToken();
        }
        return due;
    }

    /**
     * Adds the marker at {@code key}, its work null if unreadable; leaves out one removed meanwhile (its work was
     * queued by another cleanup), and one a newer build wrote, which that build will read.
     */
    private void read(String key, List<Marker> into) {
        String body;
        try {
            body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
        } catch (NoSuchKeyException e) {
            return;
        }
        try {
            into.add(new Marker(key, WorkMessages.decode(body)));
        } catch (UnreadableMessage e) {
            if (!e.newer()) {
                into.add(new Marker(key, null));
            }
        }
    }

    @Override
    public void remove(List<Marker> markers) {
        // A marker whose delete fails is listed again: its work is queued twice, which every step allows.
        for (int from = 0; from < markers.size(); from += MOST_KEYS) {
            List<ObjectIdentifier> batch = markers.subList(from, Math.min(markers.size(), from + MOST_KEYS)).stream()
                    .map(m -> ObjectIdentifier.builder().key(m.key()).build())
                    .toList();
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
        }
    }
}
