package app.visage.bench;

import app.visage.bench.Results.Stats;
import app.visage.config.VisageConfig;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Work;
import app.visage.jobs.usecase.SendDueWork;
import app.visage.local.s3.EmbeddedS3;
import app.visage.local.sqs.EmbeddedSqs;
import app.visage.messages.WorkMessages;
import app.visage.queue.SqsWorkQueue;
import app.visage.storage.S3DueIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The scheduled cleanup ({@link SendDueWork} over {@link S3DueIndex}, the classes the {@code cleanup} function
 * runs) against an embedded S3 and SQS of its own, with job records under {@code jobs/} and timers under
 * {@code due/} written in bulk (straight into the server's store, on disk under {@code target/}): the requests one run makes, counted by the S3 server and at the SQS client, and
 * its time, at 1,000 and 100,000 stored records, with a day of timers that are not due, and with 100 due. Also
 * the old sweep's reads of the same bucket (list {@code jobs/}, GET each record), made and timed at 1,000 records
 * and counted at 100,000.
 */
final class SweepProbe implements AutoCloseable {
    private static final int WRITERS = 6;
    private static final int RUNS = 5;

    private final EmbeddedS3 s3;
    private final S3Client client;
    private final EmbeddedSqs sqsServer;
    private final SqsClient sqsClient;
    private final CountedSqs sqs;
    private final SendDueWork cleanup;
    private final S3DueIndex index;
    private final String bucket;
    private final BlobStore store;
    private final Path dir;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean counting;
    private int stored;

    SweepProbe(VisageConfig config) throws IOException {
        bucket = config.bucket();
        // On disk: S3Proxy's in-memory store gives each object at least an 8 KB block, and 110,000 of them do not
        // fit the bench JVM's heap.
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-sweep-s3-");
        s3 = EmbeddedS3.onDisk(dir, bucket, 0, created -> {}).start();
        store = storeOf(s3);
        s3.onRequest(r -> {
            if (counting) {
                requests.add(r.kind().equals("OBJECT") ? r.method() : r.kind());
            }
        });
        client = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build();
        sqsServer = new EmbeddedSqs(0, Duration.ofMinutes(2), 5).start();
        sqsClient = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(sqsServer.endpoint())
                .region(Region.of(sqsServer.region()))
                .credentialsProvider(sqsServer.credentials())
                .build();
        sqs = new CountedSqs(sqsClient, () -> "sweep");
        index = new S3DueIndex(client, config);
        cleanup = new SendDueWork(
                index, new SqsWorkQueue(sqs.client(), sqsServer.queues().workUrl()), Clock.systemUTC());
    }

    /** Runs every step; answers the figures, by step. */
    Map<String, Object> run(int records, int timers, int due) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        int small = Math.min(1000, records);
        Map<String, Object> writes = new LinkedHashMap<>();
        writes.put("records_" + small + "_s", writeRecords(small));
        out.put("records_" + small, sweeps());
        out.put("old_sweep_reads_at_" + small, oldSweep());
        writes.put("records_" + records + "_s", writeRecords(records - small));
        out.put("records_" + records, sweeps());
        // Not listed in full at this size: S3Proxy's store walks every key for each page of 1,000 (minutes); the
        // old sweep's count there is one LIST a page and one GET a record.
        out.put(
                "old_sweep_reads_at_" + records + "_by_count",
                Map.of("S3 LIST", (records + 999) / 1000, "S3 GET", records));
        Instant now = Instant.now();
        writes.put(
                "timers_" + timers + "_s",
                write(
                        timers,
                        i -> putMarker(Work.wake(
                                JobId.random(),
                                now.plus(Duration.ofMinutes(20))
                                        .plus(Duration.ofDays(1).multipliedBy(i).dividedBy(timers))))));
        out.put("records_" + records + "_timers_" + timers, sweeps());
        write(due, i -> index.add(Work.wake(JobId.random(), now.minus(Duration.ofMinutes(1)))));
        out.put("records_" + records + "_timers_" + timers + "_due_" + due, sweep(1));
        out.put("then_none_due", sweep(1));
        writes.put("straight_into_the_store", store != null);
        out.put("bulk_write_seconds", writes);
        return out;
    }

    private double writeRecords(int n) throws Exception {
        double seconds = write(n, i -> {
            String id = JobId.random().value();
            put("jobs/" + id + ".json", "{\"schema_version\":1,\"id\":\"" + id + "\",\"status\":\"succeeded\"}");
        });
        stored += n;
        return seconds;
    }

    /** A marker as {@link S3DueIndex#add} writes it: its key and body, straight into the store. */
    private void putMarker(Work work) {
        put(Keys.due(work), WorkMessages.encode(work));
    }

    /**
     * Writes an object straight into the embedded S3's store, not over HTTP: this is the bench's setup (100,000
     * signed PUTs would take minutes on 2 cores), and the requests counted are the sweep's, which go over HTTP.
     */
    private void put(String key, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (store == null) {
            client.putObject(
                    b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
            return;
        }
        store.putBlob(
                PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType("application/json")
                        .contentLength((long) bytes.length)
                        .build(),
                new ByteArrayInputStream(bytes));
    }

    /** The embedded S3's store (a private field), or null to write over HTTP instead. */
    private static BlobStore storeOf(EmbeddedS3 s3) {
        try {
            Field field = EmbeddedS3.class.getDeclaredField("store");
            field.setAccessible(true);
            return (BlobStore) field.get(s3);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** {@code n} writes on {@value #WRITERS} threads; answers the seconds taken. */
    private double write(int n, IntConsumer one) throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS, r -> {
            Thread t = new Thread(r, "bench-sweep-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int from = w;
                parts.add(pool.submit(() -> {
                    for (int i = from; i < n; i += WRITERS) {
                        one.accept(i);
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
    }

    private Map<String, Object> sweeps() {
        return sweep(RUNS);
    }

    /** {@code runs} cleanups: the requests of the first (all runs must match it, or the most are shown), the times. */
    private Map<String, Object> sweep(int runs) {
        double[] ms = new double[runs];
        Map<String, Integer> first = null;
        Map<String, Integer> most = new TreeMap<>();
        SendDueWork.Summary summary = null;
        for (int i = 0; i < runs; i++) {
            requests.clear();
            int sqsFrom = sqs.size();
            counting = true;
            long start = System.nanoTime();
            summary = cleanup.send();
            ms[i] = (System.nanoTime() - start) / 1e6;
            counting = false;
            Map<String, Integer> counts = new TreeMap<>();
            requests.forEach(r -> counts.merge("S3 " + r, 1, Integer::sum));
            CountedSqs.byAction(sqs.since(sqsFrom)).forEach((a, n) -> counts.merge("SQS " + a, n, Integer::sum));
            if (first == null) {
                first = counts;
            }
            counts.forEach((k, n) -> most.merge(k, n, Math::max));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stored_records", stored);
        out.put("requests", first);
        if (!most.equals(first)) {
            out.put("requests_most_in_a_run", most);
        }
        out.put(
                "requests_total",
                first.values().stream().mapToInt(Integer::intValue).sum());
        out.put("sent_to_queue", summary.sent());
        out.put("ms", Stats.of(ms).toMap());
        return out;
    }

    /** The old sweep's reads: list every record under jobs/ and read each one. */
    private Map<String, Object> oldSweep() {
        requests.clear();
        counting = true;
        long start = System.nanoTime();
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String after = token;
            ListObjectsV2Response page = client.listObjectsV2(
                    b -> b.bucket(bucket).prefix("jobs/").maxKeys(1000).continuationToken(after));
            page.contents().stream().map(S3Object::key).forEach(keys::add);
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        long listed = System.nanoTime();
        for (String key : keys) {
            client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        }
        long end = System.nanoTime();
        counting = false;
        Map<String, Integer> counts = new TreeMap<>();
        requests.forEach(r -> counts.merge("S3 " + r, 1, Integer::sum));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stored_records", keys.size());
        out.put("requests", counts);
        out.put("list_ms", Math.round((listed - start) / 1e5) / 10.0);
        out.put("get_ms", Math.round((end - listed) / 1e5) / 10.0);
        return out;
    }

    @Override
    public void close() {
        client.close();
        sqsClient.close();
        sqsServer.close();
        s3.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // left under target/, which the next clean removes
        }
    }
}
