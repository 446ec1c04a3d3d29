package app.visage.local.s3;

import app.visage.logs.LoggableException;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.gaul.shaded.org.eclipse.jetty.server.Server;

/**
 * An in-process S3 server (S3Proxy 4.x) for local mode and tests: one bucket, SigV4 with fixed
 * local credentials (so presigned URLs' signatures and expiry are really checked), region
 * {@value #REGION}, path-style addressing only, bound to 127.0.0.1.
 *
 * <p>Beyond plain S3Proxy it adds, through {@link KeyLockingBlobStore}: atomic {@code If-Match} /
 * {@code If-None-Match} on PutObject and CompleteMultipartUpload (S3Proxy's own If-Match on these
 * backends is check-then-put), and an {@link ObjectCreated} callback after every successful
 * PutObject (presigned too), POST Object (a browser-upload form), CopyObject and
 * CompleteMultipartUpload. {@link RequestBodyFilter} works around S3Proxy 4.1 leaving request bodies
 * partly unread, which otherwise breaks the AWS SDK's URL-connection client (dead keep-alive
 * connections, 412s lost as broken pipes), and refuses a form larger than S3Proxy should hold in
 * memory.
 *
 * <p>S3Proxy itself checks a form's POST policy as S3 does: the signature, the expiry, every field
 * against a condition and the file's size against {@code content-length-range} (400
 * EntityTooLarge).
 *
 * <p>Semantics of the file-backed stores (both backends are S3Proxy's NIO.2 stores; the in-memory
 * one is a file system in memory) that real S3 does not have:
 * <ul>
 *   <li>keys map to paths, so {@code a/b} and {@code a/b/c} cannot both exist: the second write
 *       answers 500;
 *   <li>a key ending in {@code /} becomes a directory: its content is dropped (size 0, no ETag);
 *   <li>bucket lifecycle, notification and other unsupported sub-resources answer 501 — the
 *       object-created callback stands in for notifications;
 *   <li>a write holds its key's lock while its body streams in, so a slow upload delays other
 *       writers of the same key (never readers, never other keys);
 *   <li>conditional DeleteObject ({@code If-Match} on DELETE) stays S3Proxy's check-then-delete.
 * </ul>
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String REGION = "us-east-1";
    private static final String HOST = "127.0.0.1";
    private static final String ACCESS_KEY = "visage-local";
    private static final String SECRET_KEY = "visage-local-secret";
    private static final System.Logger LOG = System.getLogger(EmbeddedS3.class.getName());

    /**
     * An object became readable at {@code bucket/key}. {@code eventName} is S3's for the request that
     * wrote it ({@code ObjectCreated:Put}, {@code :Post}, {@code :Copy} or
     * {@code :CompleteMultipartUpload}). {@code eTag} has no surrounding quotes, as in S3 event
     * notifications (null only for a key ending in {@code /}); {@code size} is in bytes.
     */
    public record ObjectCreated(
            String eventName, String bucket, String key, long size, String eTag, Instant eventTime) {}

    /**
     * A request as S3 prices it: its HTTP method, and {@code kind} {@code LIST} for a GET on the bucket
     * itself (ListObjects), {@code POST_OBJECT} for a browser-upload form POSTed to it, {@code COPY} for
     * a PUT with {@code x-amz-copy-source}, else {@code OBJECT}.
     */
    public record Request(String method, String kind, String path) {}

    private final Supplier<BlobStore> storeFactory;
    private final String bucket;
    private final int requestedPort;
    private final Consumer<ObjectCreated> listener;
    private S3Proxy proxy;
    private BlobStore store;
    private ExecutorService events;
    private URI endpoint;
    private volatile Consumer<Request> requestObserver = r -> {};

    private EmbeddedS3(Supplier<BlobStore> storeFactory, String bucket, int port, Consumer<ObjectCreated> listener) {
        this.storeFactory = storeFactory;
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.requestedPort = port;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Contents live in memory and vanish on {@link #close()}; listens on an ephemeral port. */
    public static EmbeddedS3 inMemory(String bucket, Consumer<ObjectCreated> listener) {
        return new EmbeddedS3(TransientNio2BlobStore::new, bucket, 0, listener);
    }

    /**
     * Contents are files under {@code baseDir/bucket} and survive restarts. {@code port} 0 picks
     * an ephemeral port.
     */
    public static EmbeddedS3 onDisk(Path baseDir, String bucket, int port, Consumer<ObjectCreated> listener) {
        Path dir = baseDir.toAbsolutePath();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        return new EmbeddedS3(
                () -> {
                    try {
                        Files.createDirectories(dir); // the filesystem store refuses a missing base dir
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return new FilesystemNio2BlobStore(dir.toString());
                },
                bucket,
                port,
                listener);
    }

    /** Starts the server and creates the bucket if missing. Returns this, for chaining. */
    public synchronized EmbeddedS3 start() {
        if (proxy != null) {
            throw new IllegalStateException("already started");
        }
        // One thread: events arrive in write order and never run on (or fail) a request thread.
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "embedded-s3-events");
            t.setDaemon(true);
            return t;
        });
        BlobStore blobStore = null;
        S3Proxy server = null;
        try {
            blobStore = new KeyLockingBlobStore(storeFactory.get(), event -> dispatch(executor, event));
            if (!blobStore.containerExists(bucket)) {
                blobStore.createContainer(bucket);
            }
            server = S3Proxy.builder()
                    .blobStore(blobStore)
                    .endpoint(URI.create("http://" + HOST + ":" + requestedPort))
                    .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                    // The SDK sends headers S3Proxy does not know (checksums, SDK telemetry).
                    .ignoreUnknownHeaders(true)
                    // Jetty's default graceful stop waits 30 s for idle keep-alive connections.
                    .stopTimeout(0)
                    .build();
            installRequestBodyFilter(server, this::observe);
            server.start();
        } catch (Exception e) {
            executor.shutdownNow();
            if (server != null) {
                stopQuietly(server);
            }
            if (blobStore != null) {
                blobStore.close();
            }
            throw new IllegalStateException("embedded S3 did not start on " + HOST + ":" + requestedPort, e);
        }
        proxy = server;
        store = blobStore;
        events = executor;
        endpoint = URI.create("http://" + HOST + ":" + server.getPort());
        return this;
    }

    /**
     * S3Proxy offers no hook for servlet filters, so reach its Jetty server through the private
     * field. If an S3Proxy upgrade renames it, start() fails loudly rather than silently losing
     * correct 412 answers and usable keep-alive connections (see {@link RequestBodyFilter}).
     */
    private static void installRequestBodyFilter(S3Proxy server, Consumer<Request> observer)
            throws ReflectiveOperationException {
        Field field = S3Proxy.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(server);
        ServletContextHandler context = jetty.getDescendant(ServletContextHandler.class);
        if (context == null) {
            throw new IllegalStateException("S3Proxy's servlet context not found");
        }
        context.addFilter(new RequestBodyFilter(observer), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    /**
     * Calls {@code observer} with every request this server receives, before it is handled (the
     * benchmarks count S3 requests per job with it). Replaces any earlier observer.
     */
    public void onRequest(Consumer<Request> observer) {
        requestObserver = Objects.requireNonNull(observer, "observer");
    }

    private void observe(Request request) {
        try {
            requestObserver.accept(request);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "request observer failed", LoggableException.of(e));
        }
    }

    private void dispatch(ExecutorService executor, ObjectCreated event) {
        try {
            executor.execute(() -> {
                try {
                    listener.accept(event);
                } catch (RuntimeException | Error e) {
                    // The object is already stored; a failing listener must not undo or fail it.
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "ObjectCreated listener failed for " + event.key(),
                            LoggableException.of(e));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "closed; dropping event for " + event.key());
        }
    }

    /** Stops the server at once (open connections are cut) and drops the in-memory contents. */
    @Override
    public synchronized void close() {
        if (proxy == null) {
            return;
        }
        stopQuietly(proxy);
        proxy = null;
        endpoint = null;
        store.close();
        events.shutdown();
        try {
            // Let already-queued events reach the listener, but never hang on a stuck one.
            if (!events.awaitTermination(1, TimeUnit.SECONDS)) {
                events.shutdownNow();
            }
        } catch (InterruptedException e) {
            events.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void stopQuietly(S3Proxy server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "embedded S3 did not stop cleanly", LoggableException.of(e));
        }
    }

    /** {@code http://127.0.0.1:PORT}; only after {@link #start()}. */
    public synchronized URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("not started");
        }
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }
}
