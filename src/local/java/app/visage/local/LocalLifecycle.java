package app.visage.local;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.port.FileStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What the bucket's lifecycle rules do in AWS, for the embedded S3, which has none: objects past any job's TTL
 * (whether or not a job still points at them), job records and the tenants' indexes of them past their retention,
 * due-work markers nobody sent.
 */
@ApplicationScoped
public class LocalLifecycle {
    private static final Logger LOG = Logger.getLogger(LocalLifecycle.class);
    /** As the deployment's rule on {@code due/}: a marker this old was never reached by the cleanup. */
    static final Duration DUE_MARKERS = Duration.ofDays(3);

    private final FileStore files;
    private final VisageConfig config;
    private final Clock clock;

    public LocalLifecycle(FileStore files, VisageConfig config, Clock clock) {
        this.files = files;
        this.config = config;
        this.clock = clock;
    }

    /** Deletes what the lifecycle rules would have; answers how many objects. */
    public int apply() {
        Instant now = clock.instant();
        List<String> keys = new ArrayList<>();
        for (String prefix : BucketLayout.TRANSIENT) {
            olderThan(prefix, now.minus(config.ttl()), keys);
        }
        for (String prefix : BucketLayout.RETAINED) {
            olderThan(prefix, now.minus(config.recordRetention()), keys);
        }
        olderThan(BucketLayout.DUE, now.minus(DUE_MARKERS), keys);
        files.delete(keys);
        if (!keys.isEmpty()) {
            LOG.infof("lifecycle: %d old objects deleted", keys.size());
        }
        return keys.size();
    }

    private void olderThan(String prefix, Instant cutoff, List<String> keys) {
        files.list(prefix).stream()
                .filter(o -> o.lastModified().isBefore(cutoff))
                .forEach(o -> keys.add(o.key()));
    }
}
