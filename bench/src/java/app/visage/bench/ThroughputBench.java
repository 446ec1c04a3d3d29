package app.visage.bench;

import app.visage.bench.Results.Stats;
import app.visage.images.ImageHeader;
import app.visage.images.ImageInspector;
import app.visage.images.OutputFormat;
import app.visage.jobs.port.FileStore;
import app.visage.json.Json;
import app.visage.local.LocalHttpServer;
import app.visage.providers.local.engine.LocalEngine;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Section 6, throughput: end-to-end local head-shot jobs a second through local mode's HTTP API (real
 * HTTP on loopback: submit multipart, poll until the job ends) with 2, 8 and 32 concurrent clients,
 * against the engine alone on the same photo with the same number of threads. Target: at least 0.8 of
 * the engine alone, and no failed or lost job.
 */
@QuarkusTest
class ThroughputBench {
    private static final int[] CLIENTS = {2, 8, 32};
    private static final int JOBS = 64;
    private static final int ROUNDS = 3;
    private static final double TARGET = 0.8;
    private static final Set<String> ENDED = Set.of("succeeded", "failed", "canceled", "expired");
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    LocalHttpServer server;

    @Inject
    FileStore files;

    private HttpClient http;
    private URI base;

    record Run(double seconds, int succeeded, int failed, int lost, Map<String, Long> cpuNanos) {
        double perSecond() {
            return succeeded / seconds;
        }
    }

    /** CPU time of the JVM's threads by role, from their names: where an API job's CPU goes. */
    static final class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> before = snapshot();
        /** Client and engine threads report their own CPU as they end (they end with the run). */
        final ConcurrentHashMap<String, Long> ended = new ConcurrentHashMap<>();

        static String role(String thread) {
            return thread.startsWith("visage-http")
                    ? "http_server_functions_engine"
                    : thread.startsWith("S3Proxy")
                            ? "embedded_s3"
                            : thread.startsWith("bench-client") || thread.startsWith("HttpClient")
                                    ? "clients"
                                    : thread.startsWith("bench-engine") ? "engine_threads" : "other";
        }

        private static Map<Long, Long> snapshot() {
            Map<Long, Long> cpu = new HashMap<>();
            for (long id : THREADS.getAllThreadIds()) {
                cpu.put(id, THREADS.getThreadCpuTime(id));
            }
            return cpu;
        }

        void threadEnds(String role) {
            ended.merge(role, THREADS.getCurrentThreadCpuTime(), Long::sum);
        }

        Map<String, Long> done() {
            Map<String, Long> byRole = new TreeMap<>(ended);
            for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info == null || info.getThreadName().startsWith("bench-")) {
                    continue;
                }
                long now = THREADS.getThreadCpuTime(info.getThreadId());
                long then = before.getOrDefault(info.getThreadId(), 0L);
                if (now > then) {
                    byRole.merge(role(info.getThreadName()), now - then, Long::sum);
                }
            }
            return byRole;
        }
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, name + "-" + n.incrementAndGet());
    }

    private static Map<String, Object> perJob(List<Run> runs) {
        Map<String, Long> total = new TreeMap<>();
        int jobs = 0;
        for (Run run : runs) {
            run.cpuNanos().forEach((k, v) -> total.merge(k, v, Long::sum));
            jobs += run.succeeded();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        int n = Math.max(1, jobs);
        total.forEach((k, v) -> out.put(k, Math.round(v / 1e6 / n * 10) / 10.0));
        out.put(
                "total",
                Math.round(total.values().stream().mapToLong(Long::longValue).sum() / 1e6 / n * 10) / 10.0);
        return out;
    }

    @Test
    void apiAgainstEngineAlone() throws Exception {
        byte[] jpeg = BenchPhotos.megapixels(BenchPhotos.PORTRAIT, 2);
        ImageHeader header = new ImageInspector().inspect(jpeg);
        base = URI.create("http://127.0.0.1:" + server.start("127.0.0.1", 0));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        byte[] body = ApiEvents.multipart(jpeg, "{\"operation\":\"head_shot\",\"provider\":\"local\"}");
        Results results = Results.section(6, "Throughput").name("throughput");
        results.figure("photo", BenchPhotos.dimensions(jpeg) + ", " + jpeg.length + " bytes; 512x512 PNG head shots");
        boolean met = true;
        int failedOrLost = 0;
        try (LocalEngine engine = new LocalEngine()) {
            runApi(body, 2, 8); // warm both paths: models, JIT, connections
            runEngine(engine, jpeg, header, 2, 8);
            clearBucket();
            for (int clients : CLIENTS) {
                double[] api = new double[ROUNDS];
                double[] alone = new double[ROUNDS];
                double[] ratio = new double[ROUNDS];
                int failed = 0;
                int lost = 0;
                List<Run> apiRuns = new ArrayList<>();
                List<Run> engineRuns = new ArrayList<>();
                for (int r = 0; r < ROUNDS; r++) {
                    Run a;
                    Run e;
                    if (r % 2 == 0) {
                        a = runApi(body, clients, JOBS);
                        e = runEngine(engine, jpeg, header, clients, JOBS);
                    } else {
                        e = runEngine(engine, jpeg, header, clients, JOBS);
                        a = runApi(body, clients, JOBS);
                    }
                    clearBucket();
                    apiRuns.add(a);
                    engineRuns.add(e);
                    api[r] = a.perSecond();
                    alone[r] = e.perSecond();
                    ratio[r] = api[r] / alone[r];
                    failed += a.failed() + e.failed();
                    lost += a.lost();
                }
                Map<String, Object> level = new LinkedHashMap<>();
                level.put("api_jobs_per_s", Stats.of(api).toMap());
                level.put("engine_alone_jobs_per_s", Stats.of(alone).toMap());
                level.put("jobs_per_run", JOBS);
                level.put("api_cpu_ms_per_job", perJob(apiRuns));
                level.put("engine_alone_cpu_ms_per_job", perJob(engineRuns));
                level.put("failed", failed);
                level.put("lost", lost);
                results.figure(clients + "_clients", level);
                results.ratio(clients + "_clients", Stats.of(ratio));
                met &= Stats.of(ratio).median() >= TARGET && failed == 0 && lost == 0;
                failedOrLost += failed + lost;
            }
        }
        results.figure("failed_or_lost_total", failedOrLost)
                .target(String.format(
                        Locale.ROOT,
                        "API >= %.1f of the engine alone (median per-round ratio) at each "
                                + "concurrency, no failed or lost job",
                        TARGET))
                .met(met)
                .notes("API = local mode's HTTP server (the same code as AWS behind API Gateway) in this JVM with "
                        + "the embedded S3 in memory; each client submits multipart POST /v1/jobs (provider local, "
                        + "default 512x512 PNG) and polls GET /v1/jobs/{id} every 10 ms until the job ends; a job "
                        + "counts when it succeeded with one output. Engine alone = LocalEngine.headShot on the same "
                        + "bytes from a pool of as many threads. " + ROUNDS + " rounds of " + JOBS + " jobs per level, "
                        + "API and engine runs interleaved; ratio = API jobs/s / engine jobs/s per round. lost = "
                        + "accepted but never found ended (404 or still running after 60 s). *_cpu_ms_per_job: CPU "
                        + "time per succeeded job by thread role (http_server_functions_engine = local mode's request "
                        + "threads, which run the functions and the engine; embedded_s3 = S3Proxy's Jetty threads, "
                        + "in this JVM only in local mode; clients = the bench's HTTP clients; other = JIT, GC, ...).")
                .write();
    }

    private Run runApi(byte[] body, int clients, int jobs) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients, named("bench-client"));
        Cpu cpu = new Cpu();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                while (next.getAndIncrement() < jobs) {
                    switch (oneJob(body)) {
                        case "succeeded" -> succeeded.incrementAndGet();
                        case "lost" -> lost.incrementAndGet();
                        default -> failed.incrementAndGet();
                    }
                }
                cpu.threadEnds("clients");
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(seconds, succeeded.get(), failed.get(), lost.get(), cpu.done());
    }

    /** One job end to end: "succeeded" (with one output), "lost", or why it failed. */
    private String oneJob(byte[] body) {
        try {
            HttpResponse<String> submitted = http.send(
                    HttpRequest.newBuilder(base.resolve("/v1/jobs"))
                            .header("content-type", "multipart/form-data; boundary=" + ApiEvents.BOUNDARY)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (submitted.statusCode() != 202) {
                return "submit " + submitted.statusCode();
            }
            JsonNode job = Json.MAPPER.readTree(submitted.body());
            String id = job.get("id").asText();
            long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
            do {
                HttpResponse<String> status = http.send(
                        HttpRequest.newBuilder(base.resolve("/v1/jobs/" + id))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (status.statusCode() == 404) {
                    return "lost";
                }
                job = Json.MAPPER.readTree(status.body());
                if (ENDED.contains(job.get("status").asText())) {
                    return job.get("status").asText().equals("succeeded")
                                    && job.get("outputs").size() == 1
                            ? "succeeded"
                            : job.get("status").asText();
                }
                LockSupport.parkNanos(10_000_000);
            } while (System.nanoTime() < deadline);
            return "lost";
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    private static Run runEngine(LocalEngine engine, byte[] jpeg, ImageHeader header, int threads, int jobs)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, named("bench-engine"));
        Cpu cpu = new Cpu();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                while (next.getAndIncrement() < jobs) {
                    try {
                        engine.headShot(jpeg, header, 512, 512, OutputFormat.PNG);
                        done.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
                cpu.threadEnds("engine_threads");
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(seconds, done.get(), failed.get(), 0, cpu.done());
    }

    /** Untimed: the embedded S3 keeps objects in this heap. Job records (small) stay. */
    private void clearBucket() {
        List<String> keys = new ArrayList<>();
        for (String prefix : List.of("inputs/", "outputs/", "uploads/")) {
            files.list(prefix).forEach(o -> keys.add(o.key()));
        }
        files.delete(keys);
    }
}
