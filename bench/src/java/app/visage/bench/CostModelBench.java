package app.visage.bench;

import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.functions.SampleEvents;
import app.visage.local.s3.EmbeddedS3;
import app.visage.packaging.LambdaRuntimes;
import app.visage.support.UploadForms;
import app.visage.support.WorkQueues;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Section 7, the AWS cost model: what 1,000 jobs cost on AWS, from durations and request counts
 * measured here, for a paid-provider job (ModelsLab head shot) and a local 12 MP head shot.
 *
 * <p>It runs the packaged artifact as AWS does ({@link LambdaRuntimes}: one JVM per function under
 * the runtime interface client, 1024 MB settings) with S3 on an embedded S3 that counts every request
 * by kind, ModelsLab on its emulator (whose webhook comes in through a loopback stand-in for API
 * Gateway), and takes each invocation's duration at the Runtime API (event handed out → answer
 * posted, i.e. Lambda's billed Duration less its rounding). A few jobs warm the JVMs up; the next
 * ones are measured. A job:
 * <ul>
 *   <li>paid: {@code submit} (JSON, data-URI photo, provider modelslab) → {@code worker} (starts it
 *       at ModelsLab) → {@code status} while processing → the provider's webhook ({@code webhook}) →
 *       {@code worker} (fetch, copy the output) → {@code status} succeeded;
 *   <li>local 12 MP: {@code submit} an upload ticket → the client's POST of the signed form to the
 *       bucket → the bucket's object-created event ({@code upload}: decode, detect, frame, encode,
 *       store) → {@code worker} (the wake-ups the job sent) → {@code status} succeeded. (A 12 MP photo
 *       cannot go through submit: a data URI of it is larger than Lambda's 6 MB request payload.)
 * </ul>
 * The work queue is an embedded SQS; after each step the bench hands the worker every visible message, one
 * an invocation (the deployment's batch size), as the event source mapping would. Delayed messages (back-stop
 * polls) are not waited for.
 * Cold starts come from section 3's file (init and first invocation per function); the SnapStart
 * and native rows are estimates, each with its source in the notes. Runs last (it reads the other
 * sections' files): {@code @Order} under the bench profile's class orderer.
 */
@Order(Integer.MAX_VALUE)
class CostModelBench {
    // us-east-1 list prices as of 2025 (x86; AWS pricing pages), per unit.
    /** Lambda compute, per GB-second (x86). */
    static final double LAMBDA_GB_S = 0.0000166667;
    /** Lambda requests: $0.20 per million. */
    static final double LAMBDA_REQUEST = 0.20 / 1_000_000;
    /** API Gateway HTTP API: $1.00 per million requests (first 300 million). */
    static final double HTTP_API_REQUEST = 1.00 / 1_000_000;
    /** S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000. */
    static final double S3_TIER1 = 0.005 / 1000;
    /** S3 Standard GET, HEAD and other reads: $0.0004 per 1,000 (DELETE is free). */
    static final double S3_TIER2 = 0.0004 / 1000;
    /** S3 Standard storage: $0.023 per GB-month (first 50 TB); a month taken as 730 hours. */
    static final double S3_GB_MONTH = 0.023;

    /** The functions a job invokes. */
    private static final List<String> FUNCTIONS = List.of("submit", "status", "webhook", "upload", "worker");

    private static final int[] MEMORY_MB = {512, 1024};
    private static final int WARMUP_JOBS = Integer.getInteger("bench.cost.warmup", 2);
    private static final int JOBS = Integer.getInteger("bench.cost.jobs", 3);
    /** Status polls a client makes per job (assumption; the README's earlier model used about 3). */
    private static final int STATUS_POLLS = 3;

    private static final String BUCKET = "visage";
    private static final String KEY = "ml-key";
    private static final Duration ANSWER = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, LambdaRuntimes.Child> children = new LinkedHashMap<>();
    /** Each invocation's duration (ms), by function, for the job being run. */
    private final Map<String, List<Double>> invocations = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
    private final List<String> s3Requests = new CopyOnWriteArrayList<>();
    /** The S3 requests of the latest job's final status poll. */
    private final List<String> lastPollS3 = new CopyOnWriteArrayList<>();

    private final AtomicInteger apiRequests = new AtomicInteger();
    private EmbeddedS3 s3;
    private WorkQueues queue;
    /** The bench's own client of the embedded S3, for reading what a job stored (after its requests are counted). */
    private S3Client bucket;

    @Test
    void costPerThousandJobs() throws Exception {
        Map<Integer, Map<String, Object>> sections = SectionFiles.readAll();
        Path work = Path.of("target", "bench-cost").toAbsolutePath();
        LambdaRuntimes.TaskRoot root = LambdaRuntimes.prepare(Path.of("target", "function.zip"), work);
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, Object> ratios = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        byte[] portrait = resource("/photos/astronaut.jpg");
        byte[] twelve = megapixels(portrait, 12);

        HttpServer gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        try (ModelsLabEmulator modelslab = new ModelsLabEmulator(KEY, "ml-enterprise-key", "ml-face-gen-key")) {
            modelslab.processingTime(Duration.ofMillis(300));
            s3 = EmbeddedS3.inMemory(BUCKET, this::objectCreated).start();
            s3.onRequest(r -> s3Requests.add(r.method() + " " + r.kind()));
            bucket = S3Client.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .endpointOverride(s3.endpoint())
                    .region(Region.of(s3.region()))
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                    .build();
            queue = WorkQueues.start(Duration.ofSeconds(30), 5);
            gateway.createContext("/", this::providerWebhook);
            gateway.start();
            String publicUrl = "http://127.0.0.1:" + gateway.getAddress().getPort();
            Map<String, String> env = Map.of(
                    "VISAGE_PUBLIC_BASE_URL",
                    publicUrl,
                    "VISAGE_PROVIDERS_MODELSLAB_BASE_URL",
                    modelslab.baseUrl().toString(),
                    "VISAGE_PROVIDERS_MODELSLAB_OUTPUT_ORIGINS",
                    modelslab.cdnUrl().toString(),
                    "VISAGE_PROVIDERS_MODELSLAB_API_KEY",
                    KEY,
                    "VISAGE_QUEUE_URL",
                    queue.workUrl(),
                    "VISAGE_QUEUE_ENDPOINT",
                    queue.endpoint().toString());
            for (String export : FUNCTIONS) {
                children.put(
                        export, LambdaRuntimes.Child.start(export, root, s3, work.resolve(export + ".log"), 1024, env));
            }
            for (LambdaRuntimes.Child child : children.values()) {
                child.awaitReady(ANSWER);
            }

            Job paid = measure("paid", () -> paidJob(portrait));
            Job local = measure("local_12mp", () -> localJob(twelve));
            figures.put("photo_12mp", dimensions(twelve) + ", " + twelve.length + " bytes");
            for (Job job : List.of(paid, local)) {
                figures.put(job.name + "_invocation_ms", job.durations);
                figures.put(job.name + "_invocations_per_job", job.calls);
                figures.put(job.name + "_s3_requests_per_job", job.s3);
                figures.put(job.name + "_api_requests_per_job", job.api);
                figures.put(job.name + "_stored_bytes", job.storedBytes);
            }
        } finally {
            gateway.stop(0);
            for (LambdaRuntimes.Child child : children.values()) {
                child.stop();
            }
            if (bucket != null) {
                bucket.close();
            }
            if (s3 != null) {
                s3.close();
            }
            if (queue != null) {
                queue.close();
            }
            LambdaRuntimes.deleteRecursively(work.resolve("task"));
        }
        model(sections, figures, ratios, notes);
        SectionFiles.write(
                7,
                "cost",
                "AWS cost model",
                figures,
                ratios,
                "reported only: USD per 1,000 jobs from measured durations and request counts",
                null,
                String.join(" ", notes));
    }

    // ---- the jobs

    /** What one kind of job did: each function's median invocation (ms), and per-job counts. */
    private record Job(
            String name,
            Map<String, Object> durations,
            Map<String, Double> medianMs,
            Map<String, Integer> calls,
            Map<String, Object> s3,
            int s3Tier1,
            int s3Tier2,
            int api,
            long storedBytes) {}

    /** Runs warm-up jobs, then measured ones; counts S3 and API requests and durations of the measured ones. */
    private Job measure(String name, Supplier<String> job) throws Exception {
        for (int i = 0; i < WARMUP_JOBS; i++) {
            job.get();
        }
        Map<String, List<Double>> durations = new LinkedHashMap<>();
        Map<String, Integer> calls = new LinkedHashMap<>();
        Map<String, Integer> s3Kinds = new LinkedHashMap<>();
        int api = 0;
        long stored = 0;
        Map<String, Integer> pollKinds = new LinkedHashMap<>();
        for (int i = 0; i < JOBS; i++) {
            invocations.clear();
            s3Requests.clear();
            apiRequests.set(0);
            String id = job.get();
            invocations.forEach((fn, list) -> {
                durations.computeIfAbsent(fn, k -> new ArrayList<>()).addAll(list);
                calls.merge(fn, list.size(), Integer::sum);
            });
            settle();
            List<String> requests = new ArrayList<>(s3Requests);
            requests.forEach(r -> s3Kinds.merge(r, 1, Integer::sum));
            lastPollS3.forEach(r -> pollKinds.merge(r, 1, Integer::sum));
            api += apiRequests.get();
            stored += storedBytes(id);
        }
        Map<String, Object> durationStats = new LinkedHashMap<>();
        Map<String, Double> medians = new LinkedHashMap<>();
        durations.forEach((fn, list) -> {
            Map<String, Object> stats = SectionFiles.stats(
                    list.stream().mapToDouble(Double::doubleValue).toArray());
            durationStats.put(fn, stats);
            medians.put(fn, SectionFiles.median(stats));
        });
        Map<String, Integer> perJobCalls = new LinkedHashMap<>();
        calls.forEach((fn, n) -> perJobCalls.put(fn, Math.round((float) n / JOBS)));
        Map<String, Object> s3 = new LinkedHashMap<>();
        int tier1 = 0;
        int tier2 = 0;
        for (var e : s3Kinds.entrySet()) {
            double perJob = (double) e.getValue() / JOBS;
            s3.put(e.getKey(), perJob);
            String kind = e.getKey();
            if (kind.startsWith("PUT") || kind.startsWith("POST") || kind.endsWith("LIST")) {
                tier1 += Math.round(perJob);
            } else if (!kind.startsWith("DELETE")) {
                tier2 += Math.round(perJob);
            }
        }
        s3.put("tier1_put_copy_post_list", tier1);
        s3.put("tier2_get_head", tier2);
        Map<String, Object> poll = new LinkedHashMap<>();
        pollKinds.forEach((kind, n) -> poll.put(kind, (double) n / JOBS));
        s3.put("of_which_one_status_poll", poll);
        return new Job(
                name,
                durationStats,
                medians,
                perJobCalls,
                s3,
                tier1,
                tier2,
                Math.round((float) api / JOBS),
                stored / JOBS);
    }

    /**
     * A paid-provider head shot: submit, the worker's start, a status poll while processing, the provider's
     * webhook, the worker's confirmation, a final status poll. Answers the job id.
     */
    private String paidJob(byte[] photo) {
        String body = "{\"operation\":\"head_shot\",\"provider\":\"modelslab\",\"face_image\":\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(photo)
                + "\",\"params\":{\"prompt\":\"a professional head shot\"}}";
        int webhooks = count("webhook");
        JsonNode accepted = client("submit", "POST", "/v1/jobs", body);
        String id = accepted.path("id").asText();
        deliverWork();
        client("status", "GET", "/v1/jobs/" + id, null);
        awaitInvocations("webhook", webhooks + 1);
        deliverWork();
        finalPoll(id);
        return id;
    }

    /**
     * A local 12 MP head shot: an upload ticket, the client's form POST, the upload function, the worker on the
     * wake-ups sent, a final status poll.
     */
    private String localJob(byte[] photo) {
        int uploads = count("upload");
        JsonNode ticket = client(
                "submit",
                "POST",
                "/v1/uploads",
                "{\"operation\":\"head_shot\",\"content_type\":\"image/jpeg\",\"params\":{\"width\":512,\"height\":512}}");
        String id = ticket.path("job_id").asText();
        Map<String, String> fields = JSON.convertValue(ticket.path("upload_fields"), new TypeReference<>() {});
        int code = UploadForms.post(URI.create(ticket.path("upload_url").asText()), fields, photo)
                .statusCode();
        if (code != 204) {
            throw new AssertionError("the upload form's POST answered " + code);
        }
        awaitInvocations("upload", uploads + 1);
        deliverWork();
        finalPoll(id);
        return id;
    }

    /** The last status poll, once the job has ended: must say succeeded; its S3 requests are kept apart. */
    private void finalPoll(String id) {
        settle();
        int before = s3Requests.size();
        String status =
                client("status", "GET", "/v1/jobs/" + id, null).path("status").asText();
        if (!status.equals("succeeded")) {
            throw new AssertionError("job " + id + " ended " + status);
        }
        lastPollS3.clear();
        lastPollS3.addAll(s3Requests.subList(before, s3Requests.size()));
    }

    /**
     * The event source mapping: the work queue's visible messages to the worker, one an invocation, until none is
     * left; each must be done (none in {@code batchItemFailures}).
     */
    private void deliverWork() {
        for (List<WorkQueues.Received> work = queue.drain(); !work.isEmpty(); work = queue.drain()) {
            for (WorkQueues.Received message : work) {
                JsonNode answer = invoke("worker", WorkQueues.lambdaEvent(List.of(message)));
                if (!answer.path("batchItemFailures").isEmpty()) {
                    throw new AssertionError("the worker failed message " + message.messageId() + ": " + answer);
                }
            }
        }
    }

    /** Invocations of {@code function} answered so far (all jobs; {@link #invocations} is per job). */
    private int count(String function) {
        return answered.getOrDefault(function, new AtomicInteger()).get();
    }

    /** Waits (at most a minute) until {@code function} has answered {@code n} invocations in all. */
    private void awaitInvocations(String function, int n) {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (count(function) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(function + " was not invoked within " + ANSWER);
            }
            settle(50);
        }
    }

    private static void settle() {
        settle(300); // let a function's last S3 calls after its answer, if any, land in this job's count
    }

    private static void settle(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A client's API call: one API Gateway request, one invocation; answers the JSON body. */
    private JsonNode client(String function, String method, String path, String body) {
        apiRequests.incrementAndGet();
        JsonNode response = invoke(function, apiEvent(method, path, "", body));
        try {
            return JSON.readTree(response.path("body").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode invoke(String function, String event) {
        LambdaRuntimes.Child child = children.get(function);
        long queued = System.nanoTime();
        String answer = child.invoke(event, ANSWER);
        // The answer's arrival at the Runtime API; the event was handed out at once (the runtime waits in /next).
        double ms = (child.api().lastAnswerNanos() - queued) / 1e6;
        invocations.computeIfAbsent(function, k -> new CopyOnWriteArrayList<>()).add(ms);
        answered.computeIfAbsent(function, k -> new AtomicInteger()).incrementAndGet();
        try {
            return JSON.readTree(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** API Gateway's stand-in for the provider's webhook: the request becomes the webhook function's event. */
    private void providerWebhook(HttpExchange exchange) throws IOException {
        try (exchange) {
            apiRequests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            JsonNode response = invoke(
                    "webhook",
                    apiEvent(
                            exchange.getRequestMethod(),
                            uri.getRawPath(),
                            uri.getRawQuery() == null ? "" : uri.getRawQuery(),
                            new String(body, StandardCharsets.UTF_8)));
            byte[] out = response.path("body").asText("").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.path("statusCode").asInt(500), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            }
        }
    }

    /** The bucket's object-created notification for uploads/, as S3 would deliver it to the upload function. */
    private void objectCreated(EmbeddedS3.ObjectCreated created) {
        if (!created.key().startsWith("uploads/")) {
            return;
        }
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(SampleEvents.read("upload-object-created.json"));
            ObjectNode record = (ObjectNode) event.path("Records").get(0);
            event.putArray("Records").add(record);
            record.put("eventTime", created.eventTime().toString());
            ObjectNode object = (ObjectNode) record.path("s3").path("object");
            object.put(
                    "key",
                    URLEncoder.encode(created.key(), StandardCharsets.UTF_8).replace("%2F", "/"));
            object.put("size", created.size());
            object.put("eTag", created.eTag());
            ((ObjectNode) record.path("s3").path("bucket")).put("name", created.bucket());
            invoke("upload", JSON.writeValueAsString(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP API (payload 2.0) event for {@code method path?query} with a JSON body. */
    private static String apiEvent(String method, String path, String query, String body) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(SampleEvents.read("status-get-job.json"));
            event.remove("routeKey");
            event.remove("pathParameters");
            event.put("rawPath", path);
            event.put("rawQueryString", query);
            Map<String, String> params = new HashMap<>();
            for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(
                        URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            if (params.isEmpty()) {
                event.remove("queryStringParameters");
            } else {
                event.set("queryStringParameters", JSON.valueToTree(params));
            }
            ObjectNode http = (ObjectNode) event.path("requestContext").path("http");
            http.put("method", method);
            http.put("path", path);
            ((ObjectNode) event.path("requestContext")).put("routeKey", "$default");
            ObjectNode headers = (ObjectNode) event.path("headers");
            if (body != null) {
                headers.put("content-type", "application/json");
                headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
                event.put("body", body);
                event.put("isBase64Encoded", false);
            } else {
                event.remove("body");
            }
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes stored for the job (its record, input and outputs) at the end of its run; read after counting. */
    private long storedBytes(String id) {
        long bytes = 0;
        for (String prefix :
                List.of("jobs/" + id + ".json", "inputs/" + id + "/", "outputs/" + id + "/", "uploads/" + id + "/")) {
            bytes += bucket.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                    .mapToLong(S3Object::size)
                    .sum();
        }
        return bytes;
    }

    // ---- the model

    @SuppressWarnings("unchecked")
    private static void model(
            Map<Integer, Map<String, Object>> sections,
            Map<String, Object> figures,
            Map<String, Object> ratios,
            List<String> notes) {
        // Cold starts: section 3 (measured here on the same artifact), else an assumption.
        Map<String, Object> startup = sections.get(3);
        Map<String, Object> s3figures = startup == null ? Map.of() : (Map<String, Object>) startup.get("figures");
        Map<String, Object> inputs = new LinkedHashMap<>();
        Map<String, double[]> cold = new LinkedHashMap<>(); // function -> {init, first invocation, first answer}
        for (String fn : FUNCTIONS) {
            double init = median(s3figures.get("lambda_" + fn + "_init_ms"));
            double first = median(s3figures.get("lambda_" + fn + "_first_invocation_ms"));
            double answer = median(s3figures.get("lambda_" + fn + "_first_answer_ms"));
            if (!Double.isFinite(init)) {
                init = 1500;
                first = 900;
                answer = 2400;
                notes.add(
                        "No section 3 file: cold start of " + fn + " assumed init 1500 ms + first invocation 900 ms.");
            }
            // The native bootstrap's measured cold first answer (section 3's native rows; NaN without GraalVM).
            double nativeAnswer = median(s3figures.get("native_" + fn + "_first_answer_ms"));
            cold.put(fn, new double[] {init, first, answer, nativeAnswer});
        }
        boolean nativeMeasured = Double.isFinite(cold.get("submit")[3]);
        inputs.put(
                "native_cold_start_source",
                nativeMeasured
                        ? "section 3's native rows"
                        : "estimate (JVM first answer x " + NATIVE_COLD_FACTOR + ")");
        inputs.put("cold_start_source", startup == null ? "assumed" : "section 3 (" + startup.get("_file") + ")");
        cold.forEach((fn, c) -> inputs.put(fn + "_cold_init_and_first_invocation_ms", List.of(c[0], c[1])));
        // Other sections' figures, where present, for cross-checking (their names are theirs).
        for (int n : List.of(1, 2, 5)) {
            Map<String, Object> section = sections.get(n);
            inputs.put(
                    "section_" + n,
                    section == null
                            ? "absent: this bench measured what it needs itself"
                            : section.get("_file") + " (" + section.get("title") + ")");
        }
        figures.put("inputs", inputs);

        Map<String, Object> perThousand = new LinkedHashMap<>();
        for (String name : List.of("paid", "local_12mp")) {
            Map<String, Double> medians = medians((Map<String, Object>) figures.get(name + "_invocation_ms"));
            Map<String, Object> s3 = (Map<String, Object>) figures.get(name + "_s3_requests_per_job");
            // Normalised to STATUS_POLLS polls, each costing what a final poll did.
            int extraPolls = STATUS_POLLS - measuredPolls(name);
            Map<String, Object> poll = (Map<String, Object>) s3.get("of_which_one_status_poll");
            int pollTier1 = 0;
            int pollTier2 = 0;
            for (var e : poll.entrySet()) {
                long n = Math.round(((Number) e.getValue()).doubleValue());
                if (e.getKey().startsWith("PUT")
                        || e.getKey().startsWith("POST")
                        || e.getKey().endsWith("LIST")) {
                    pollTier1 += n;
                } else if (!e.getKey().startsWith("DELETE")) {
                    pollTier2 += n;
                }
            }
            int tier1 = ((Number) s3.get("tier1_put_copy_post_list")).intValue() + extraPolls * pollTier1;
            int tier2 = ((Number) s3.get("tier2_get_head")).intValue() + extraPolls * pollTier2;
            int api = ((Number) figures.get(name + "_api_requests_per_job")).intValue();
            long stored = ((Number) figures.get(name + "_stored_bytes")).longValue();
            // Invocations per job as measured, with status polls normalised to the assumed STATUS_POLLS.
            Map<String, Integer> calls = callsPerJob(name, figures);
            double warmMs = 0;
            int requests = 0;
            for (var e : calls.entrySet()) {
                warmMs += e.getValue() * medians.getOrDefault(e.getKey(), 0.0);
                requests += e.getValue();
            }
            int apiRequests = api + extraPolls;
            double s3Cost = tier1 * S3_TIER1 + tier2 * S3_TIER2;
            double storage = stored / 1e9 * S3_GB_MONTH * 24 / 730;
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("invocations_per_job", calls);
            job.put("billed_ms_per_job_warm", SectionFiles.round(warmMs));
            job.put("api_requests_per_job", apiRequests);
            job.put("s3_tier1_per_job", tier1);
            job.put("s3_tier2_per_job", tier2);
            job.put("stored_mb_per_job", SectionFiles.round(stored / 1e6));
            // Cold-start surcharges per job if every invocation of the job were cold (the worst case).
            double jvmCold = 0;
            double snapCold = 0;
            double nativeCold = 0;
            for (var e : calls.entrySet()) {
                double[] c = cold.get(e.getKey());
                double warm = medians.getOrDefault(e.getKey(), 0.0);
                // JVM on-demand: the init phase is billed (since August 2025) and the first invocation is slower.
                jvmCold += e.getValue() * (c[0] + Math.max(0, c[1] - warm));
                // SnapStart (Java): restore is not billed; the first invocation after a restore is estimated
                // as this artifact's first invocation after init (the S3 client is built in init).
                snapCold += e.getValue() * Math.max(0, c[1] - warm);
                // Native: submit, status and webhook are the native bootstrap, its whole cold first answer billed
                // (measured in section 3, else the JVM's scaled by the cited benchmark); upload and worker stay on the
                // JVM.
                if (!Double.isFinite(c[3]) && nativeMeasured) {
                    nativeCold += e.getValue() * (c[0] + Math.max(0, c[1] - warm));
                } else {
                    double nativeFirst = Double.isFinite(c[3]) ? c[3] : c[2] * NATIVE_COLD_FACTOR;
                    nativeCold += e.getValue() * Math.max(0, nativeFirst - warm);
                }
            }
            for (int memory : MEMORY_MB) {
                double gb = memory / 1024.0;
                Map<String, Object> cost = new LinkedHashMap<>();
                double fixed = 1000 * (requests * LAMBDA_REQUEST + apiRequests * HTTP_API_REQUEST + s3Cost + storage);
                double warmCompute = 1000 * warmMs / 1000 * gb * LAMBDA_GB_S;
                cost.put("lambda_gb_s_warm", SectionFiles.round(1000 * warmMs / 1000 * gb * 1000) / 1000);
                cost.put("lambda_compute_warm_usd", usd(warmCompute));
                cost.put("lambda_requests_usd", usd(1000 * requests * LAMBDA_REQUEST));
                cost.put("http_api_usd", usd(1000 * apiRequests * HTTP_API_REQUEST));
                cost.put("s3_requests_usd", usd(1000 * s3Cost));
                cost.put("s3_storage_24h_usd", usd(1000 * storage));
                cost.put("total_all_warm_usd", usd(fixed + warmCompute));
                cost.put("total_all_cold_jvm_usd", usd(fixed + warmCompute + 1000 * jvmCold / 1000 * gb * LAMBDA_GB_S));
                cost.put(
                        "total_all_cold_snapstart_usd",
                        usd(fixed + warmCompute + 1000 * snapCold / 1000 * gb * LAMBDA_GB_S));
                cost.put(
                        nativeMeasured ? "total_all_cold_native_usd" : "total_all_cold_native_estimate_usd",
                        usd(fixed + warmCompute + 1000 * nativeCold / 1000 * gb * LAMBDA_GB_S));
                job.put(memory + "mb", cost);
            }
            perThousand.put(name, job);
        }
        figures.put("per_1000_jobs", perThousand);
        Map<String, Object> paid = (Map<String, Object>) ((Map<String, Object>) perThousand.get("paid")).get("512mb");
        ratios.put(
                "paid_512mb_all_cold_jvm_vs_all_warm",
                ratio((double) paid.get("total_all_cold_jvm_usd") / (double) paid.get("total_all_warm_usd")));
        ratios.put(
                "paid_512mb_all_cold_snapstart_vs_all_warm",
                ratio((double) paid.get("total_all_cold_snapstart_usd") / (double) paid.get("total_all_warm_usd")));
        Map<String, Object> local =
                (Map<String, Object>) ((Map<String, Object>) perThousand.get("local_12mp")).get("1024mb");
        ratios.put(
                "local_12mp_1024mb_all_cold_jvm_vs_all_warm",
                ratio((double) local.get("total_all_cold_jvm_usd") / (double) local.get("total_all_warm_usd")));
        figures.put(
                "prices_usd",
                Map.of(
                        "lambda_gb_s_x86",
                        LAMBDA_GB_S,
                        "lambda_per_million_requests",
                        0.20,
                        "http_api_per_million",
                        1.00,
                        "s3_put_copy_post_list_per_1000",
                        0.005,
                        "s3_get_head_per_1000",
                        0.0004,
                        "s3_gb_month",
                        S3_GB_MONTH));
        notes.add("Durations are this 2-core machine's (JVM, 1024 MB settings, warm after " + WARMUP_JOBS
                + " jobs, median of " + JOBS + "), measured at the Runtime API; both memory sizes are priced from the "
                + "same durations. Lambda gives CPU in proportion to memory (1,769 MB = 1 vCPU; 512 MB about 0.29 "
                + "vCPU, 1024 MB about 0.58): CPU-bound work (JSON, image decoding, the engine, class loading at a "
                + "cold start) runs up to 2-3x longer there than here, so the compute lines are lower bounds, and "
                + "at 512 MB the longer duration eats most of the halved price.");
        notes.add("Status polls are normalised to " + STATUS_POLLS + " per job (client behaviour, assumed); S3 and "
                + "API requests are counted, not assumed: every request at the embedded S3 by kind (PUT/POST/COPY/LIST "
                + "tier 1, GET/HEAD tier 2, DELETE free), every API call and provider webhook. Storage: the job's "
                + "objects for 24 h (cleanup deletes them after the TTL). Worker invocations are the ones the "
                + "job's queued work made while it ran (delayed back-stops not waited for); SQS requests and the "
                + "cleanup are not priced here: section 8's model counts them.");
        notes.add("Cold: 'all cold' is the worst case (every invocation of the job a cold start); real traffic "
                + "lies between all warm and all cold. JVM: init billed (Lambda bills the init phase since "
                + "August 2025) plus the slower first invocation, from section 3. SnapStart (Java): restore not "
                + "billed; the first invocation after restore estimated as section 3's first invocation after init "
                + "(the S3 client is built in init, so it is in the snapshot); not measured (no SnapStart here). "
                + (nativeMeasured
                        ? "Native: submit, status and webhook billed their native bootstrap's cold first answer as "
                                + "measured in section 3 (a stand-in GraalVM, docs/native.md), upload and worker their JVM cold "
                                + "start (they stay on the JVM in the native deployment); warm durations taken as the JVM's. "
                        : "Native: an estimate, not measured (GRAALVM_HOME unset): section 3's cold first answer x "
                                + NATIVE_COLD_FACTOR + ", the ratio of Quarkus 3.34 native (425 ms) to JVM (3320 ms) "
                                + "cold-start p50 at 1024 MB in k-i-soft's public Lambda benchmark (k-i-soft.ch, "
                                + "'lambda cold start benchmark'); its warm durations taken as the JVM's. ")
                + "Provider fees and fixed monthly costs (the secret, the cleanup "
                + "schedule's 2,920 invocations a month, logs) are not per job and not included.");
    }

    /** Native cold start as a share of the JVM's: 425 ms / 3320 ms (k-i-soft benchmark, see notes). */
    static final double NATIVE_COLD_FACTOR = 0.128;

    /** Each function's invocations per job: as run, with status polls set to {@link #STATUS_POLLS}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Integer> callsPerJob(String name, Map<String, Object> figures) {
        Map<String, Integer> calls =
                new LinkedHashMap<>((Map<String, Integer>) figures.get(name + "_invocations_per_job"));
        calls.put("status", STATUS_POLLS);
        return calls;
    }

    /** Status polls each measured job made: paid 2 (processing, then succeeded), local 1 (succeeded). */
    private static int measuredPolls(String name) {
        return name.equals("paid") ? 2 : 1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> medians(Map<String, Object> durations) {
        Map<String, Double> m = new LinkedHashMap<>();
        durations.forEach((fn, stats) -> m.put(fn, SectionFiles.median((Map<String, Object>) stats)));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static double median(Object stats) {
        return stats instanceof Map<?, ?> m ? SectionFiles.median((Map<String, Object>) m) : Double.NaN;
    }

    private static double usd(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private static double ratio(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    // ---- photos

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = CostModelBench.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** {@code jpeg} scaled to about {@code megapixels}, as a quality-0.9 JPEG (a camera-sized photo). */
    private static byte[] megapixels(byte[] jpeg, double megapixels) throws IOException {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(jpeg));
        double scale = Math.sqrt(megapixels * 1e6 / ((double) src.getWidth() * src.getHeight()));
        int w = (int) Math.round(src.getWidth() * scale);
        int h = (int) Math.round(src.getHeight() * scale);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        // A little fixed-seed noise, so it compresses like a camera photo rather than a smooth upscale.
        Random random = new Random(12);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = out.getRGB(x, y);
                int n = random.nextInt(13) - 6;
                int r = Math.clamp(((rgb >> 16) & 0xFF) + n, 0, 255);
                int gr = Math.clamp(((rgb >> 8) & 0xFF) + n, 0, 255);
                int b = Math.clamp((rgb & 0xFF) + n, 0, 255);
                out.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(out, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static String dimensions(byte[] jpeg) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        return image.getWidth() + "x" + image.getHeight();
    }
}
