package app.visage.local;

import app.visage.auth.Authenticator;
import app.visage.functions.CleanupFunction;
import app.visage.functions.WorkerFunction;
import app.visage.functions.events.ScheduledEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Local mode's start-up: the embedded S3, the HTTP API on {@code visage.local.host:port}, the work queue's
 * messages delivered to the worker, and the cleanup on a timer (with what the bucket's lifecycle rules do in
 * AWS), each driving the same function code as in AWS.
 */
@ApplicationScoped
public class LocalMode {
    private static final Logger LOG = Logger.getLogger(LocalMode.class);

    private final LocalConfig config;
    private final LocalHttpServer http;
    private final LocalS3 s3;
    private final LocalSqs sqs;
    private final QueueEvents queueEvents;
    private final WorkerFunction worker;
    private final CleanupFunction cleanup;
    private final LocalLifecycle lifecycle;
    private final Authenticator authenticator;
    private ScheduledExecutorService timer;

    public LocalMode(
            LocalConfig config,
            LocalHttpServer http,
            LocalS3 s3,
            LocalSqs sqs,
            QueueEvents queueEvents,
            WorkerFunction worker,
            CleanupFunction cleanup,
            LocalLifecycle lifecycle,
            Authenticator authenticator) {
        this.config = config;
        this.http = http;
        this.s3 = s3;
        this.sqs = sqs;
        this.queueEvents = queueEvents;
        this.worker = worker;
        this.cleanup = cleanup;
        this.lifecycle = lifecycle;
        this.authenticator = authenticator;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.serve()) {
            return;
        }
        checkOpenOnlyOnLoopback(config.host(), authenticator.open());
        try {
            int port = http.start(config.host(), config.port());
            LOG.infof(
                    "Visage local mode: API on http://%s:%d, S3 at %s, data in %s, work queue at %s",
                    config.host(), port, s3.endpoint(), config.dataDir().orElse("memory"), sqs.queueUrl());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve on " + config.host() + ":" + config.port(), e);
        }
        if (config.queueEvents()) {
            queueEvents.start(worker::worker);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "visage-cleanup");
            t.setDaemon(true);
            return t;
        });
        long every = config.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::cleanup, every, every, TimeUnit.MILLISECONDS);
    }

    /** Without API keys anyone who reaches the port may spend provider credit: only this machine may reach it. */
    static void checkOpenOnlyOnLoopback(String host, boolean open) {
        if (!open) {
            return;
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalStateException("local mode without API keys serves loopback only, not " + host
                    + ": set visage.auth.api-keys (VISAGE_AUTH_API_KEYS) to serve other hosts");
        }
    }

    private void cleanup() {
        try {
            cleanup.cleanup(new ScheduledEvent(
                    UUID.randomUUID().toString(),
                    "Scheduled Event",
                    "aws.events",
                    Instant.now().toString()));
            lifecycle.apply();
        } catch (RuntimeException e) {
            LOG.errorf("cleanup failed: %s", e.getClass().getName());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (config.serve()) {
            queueEvents.stop(); // before the embedded queue it polls goes
        }
        if (timer != null) {
            // A cleanup under way finishes its S3 calls; interrupting them would only log aborted requests.
            timer.shutdown();
            try {
                if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                    timer.shutdownNow();
                }
            } catch (InterruptedException e) {
                timer.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        http.stop();
    }
}
