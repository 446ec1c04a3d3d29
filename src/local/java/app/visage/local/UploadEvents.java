package app.visage.local;

import app.visage.functions.UploadFunction;
import app.visage.functions.events.S3EventNotification;
import app.visage.jobs.model.BucketLayout;
import app.visage.json.Json;
import app.visage.local.s3.EmbeddedS3;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * What S3's bucket notification does in AWS: an object created under {@code uploads/} becomes an
 * ObjectCreated event (key URL-encoded, as AWS sends it) for the {@code upload} function, delivered
 * asynchronously and after the write.
 */
@ApplicationScoped
public class UploadEvents {
    private static final Logger LOG = Logger.getLogger(UploadEvents.class);

    private final Instance<UploadFunction> upload;
    private final LocalConfig config;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "visage-upload-events");
        t.setDaemon(true);
        return t;
    });

    public UploadEvents(Instance<UploadFunction> upload, LocalConfig config) {
        this.upload = upload;
        this.config = config;
    }

    void deliver(EmbeddedS3.ObjectCreated created) {
        if (!config.uploadEvents() || !created.key().startsWith(BucketLayout.UPLOADS)) {
            return;
        }
        S3EventNotification event = Json.MAPPER.convertValue(
                Map.of(
                        "Records",
                        List.of(Map.of(
                                "eventVersion", "2.1",
                                "eventSource", "aws:s3",
                                "eventName", created.eventName(),
                                "eventTime", created.eventTime().toString(),
                                "s3",
                                        Map.of(
                                                "bucket", Map.of("name", created.bucket()),
                                                "object",
                                                        Map.of(
                                                                "key",
                                                                URLEncoder.encode(
                                                                        created.key(), StandardCharsets.UTF_8),
                                                                "size",
                                                                created.size(),
                                                                "eTag",
                                                                created.eTag()))))),
                S3EventNotification.class);
        executor.execute(() -> {
            try {
                upload.get().upload(event);
            } catch (RuntimeException e) {
                LOG.errorf("upload event failed: %s", e.getClass().getName());
            }
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
