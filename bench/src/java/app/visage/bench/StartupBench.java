package app.visage.bench;

import app.visage.functions.SampleEvents;
import app.visage.local.s3.EmbeddedS3;
import app.visage.packaging.LambdaRuntimes;
import app.visage.packaging.RuntimeApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Section 3, start-up: wall time from process start to the first answered request.
 *
 * <ul>
 *   <li><b>Lambda</b>, for each export: the packaged {@code target/function.zip} under AWS's runtime
 *       interface client (see {@link LambdaRuntimes}), its event already waiting as on a cold
 *       invocation. <i>init</i> = process start → the runtime's first {@code /next} call (what Lambda
 *       bills as Init Duration); <i>first answer</i> = process start → the answer posted to
 *       {@code /response}. Each export gets one {@code events/} sample: submit the upload-ticket
 *       request ({@code submit-create-upload.json}: a record PUT and a presign, no engine), status
 *       and webhook their samples (an S3 read answering 404), upload the object-created sample (a
 *       list and a delete), cleanup the schedule's event (a sweep of the bucket). Plus
 *       {@code submit} with a local head shot ({@code submit-create-job.json}), whose first answer
 *       includes loading ONNX Runtime and BlazeFace on that first job.
 *   <li><b>Local mode</b>: {@code java -jar target/local/quarkus-app/quarkus-run.jar} → the first
 *       answer (404 for an unknown job, after an S3 read) to {@code GET /v1/jobs/{id}}, polled every
 *       5 ms.
 *   <li><b>Floors</b>: a JVM printing "hello" (start → the line read), with the local flags (none)
 *       and with the Lambda flags; and a do-nothing stream handler under the same RIC.
 * </ul>
 *
 * Runs interleave (one round = every configuration once, one process at a time) after one
 * unrecorded warm-up round. Target (issue): ≤ 1.0 s for the JVM Lambda artifact, each export.
 * No timing is asserted; an answer that is an error fails the bench, since its time would mean nothing.
 */
class StartupBench {
    private static final int RUNS = Integer.getInteger("bench.startup.runs", 5);
    private static final int WARMUP = Integer.getInteger("bench.startup.warmup", 1);
    private static final int MEMORY_MB = 1024;
    private static final double TARGET_MS = 1000;
    /** Issue 15's target for the native bootstrap's first answer here (Quarkus native on Lambda: 425-467 ms p50). */
    private static final double NATIVE_TARGET_MS = 300;
    /** What the native deployment runs as the native executable. */
    private static final List<String> NATIVE_EXPORTS = List.of("submit", "status", "webhook");

    private static final Duration START = Duration.ofSeconds(60);
    private static final String BUCKET = "visage";
    /** The event each export gets (events/). */
    private static final Map<String, String> EVENTS = Map.of(
            "submit", "submit-create-upload.json",
            "status", "status-get-job.json",
            "webhook", "webhook-provider-callback.json",
            "upload", "upload-object-created.json",
            "worker", "worker-sqs-batch.json",
            "cleanup", "cleanup-scheduled.json");

    private static final Pattern STARTED = Pattern.compile("started in (\\d+\\.\\d+)s");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** The 1-minute load average when the runs began: others' work on this shared machine shows here. */
    private String loadAtStart;

    @Test
    void startup() throws Exception {
        loadAtStart = loadAverage();
        Path work = Path.of("target", "bench-startup").toAbsolutePath();
        LambdaRuntimes.TaskRoot root = LambdaRuntimes.prepare(Path.of("target", "function.zip"), work);
        LambdaRuntimes.TaskRoot helloRoot = helloTaskRoot(root, work.resolve("hello-task"));
        // The native rows, when GraalVM built target/native/function.zip in this checkout (GRAALVM_HOME set).
        Path nativeZip = Path.of("target", "native", "function.zip");
        boolean withNative = System.getenv("GRAALVM_HOME") != null && Files.isRegularFile(nativeZip);
        Path nativeTask = withNative ? LambdaRuntimes.prepareNative(nativeZip, work.resolve("native")) : null;
        if (!withNative) {
            System.out.println("startup: no native rows (GRAALVM_HOME unset or target/native/function.zip missing)");
        }
        Path localJar =
                Path.of("target", "local", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(localJar)) {
            throw new IllegalStateException(localJar + " is missing: build it with ./mvnw -Plocal -DskipTests package");
        }
        Path classes = Path.of(
                Hello.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        // Each configuration, by its figure name: what one run measures.
        Map<String, Supplier<double[]>> configs = new LinkedHashMap<>();
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        try (EmbeddedS3 s3 = EmbeddedS3.inMemory(BUCKET, event -> {}).start()) {
            for (String export : LambdaRuntimes.EXPORTS) {
                String event = SampleEvents.read(EVENTS.get(export));
                configs.put("lambda_" + export, () -> lambda(export, root, s3, event, work, Map.of()));
            }
            String headShot = SampleEvents.read("submit-create-job.json");
            configs.put("lambda_submit_head_shot", () -> lambda("submit", root, s3, headShot, work, Map.of()));
            configs.put("local", () -> local(localJar, work));
            configs.put("floor_hello_jvm", () -> hello(classes, List.of()));
            configs.put("floor_hello_jvm_lambda_flags", () -> hello(classes, LambdaRuntimes.jvmOptions(MEMORY_MB)));
            configs.put("floor_ric_hello", () -> lambda("hello", helloRoot, s3, "{}", work, Map.of()));
            if (nativeTask != null) {
                for (String export : NATIVE_EXPORTS) {
                    String event = SampleEvents.read(EVENTS.get(export));
                    configs.put("native_" + export, () -> nativeLambda(export, nativeTask, s3, event, work));
                }
            }

            for (int round = -WARMUP; round < RUNS; round++) {
                for (var config : configs.entrySet()) {
                    double[] run = config.getValue().get();
                    if (round >= 0) {
                        samples.computeIfAbsent(config.getKey(), k -> new ArrayList<>())
                                .add(run);
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "startup %s %s: %s%n",
                            round < 0 ? "warm-up" : "run " + (round + 1),
                            config.getKey(),
                            format(run));
                }
            }
            // Where the time goes, noise-free: classes loaded by the first answer (one extra run each).
            Map<String, Object> classCounts = new LinkedHashMap<>();
            for (String export : LambdaRuntimes.EXPORTS) {
                classCounts.put(
                        "lambda_" + export,
                        classesLoaded(export, root, s3, SampleEvents.read(EVENTS.get(export)), work));
            }
            classCounts.put("floor_ric_hello", classesLoaded("hello", helloRoot, s3, "{}", work));
            Map<String, Object> sizes = new LinkedHashMap<>();
            sizes.put("jvm_function_zip_bytes", Files.size(Path.of("target", "function.zip")));
            if (nativeTask != null) {
                sizes.put("native_function_zip_bytes", Files.size(nativeZip));
                sizes.put("native_executable_bytes", Files.size(nativeTask.resolve("bootstrap")));
            }
            report(samples, classCounts, sizes);
        }
        LambdaRuntimes.deleteRecursively(work.resolve("task")); // ~100 MB; the logs stay
    }

    /**
     * Not a figure: cold starts of one export with extra JVM options, logs kept, for finding where
     * start-up time goes, e.g. {@code -Dbench.startup.trace=status
     * -Dbench.startup.trace.options="-Xlog:class+load=info:file=/tmp/status-classes.log"}. With
     * {@code -Dbench.startup.trace.compare=/path/to/other/function.zip}, runs alternate between
     * target/function.zip (A) and that artifact (B), so a change is judged on interleaved runs; with
     * {@code -Dbench.startup.trace.compareOptions=...}, B is the same artifact with other options.
     */
    @Test
    @EnabledIfSystemProperty(named = "bench.startup.trace", matches = ".+")
    void trace() throws Exception {
        String export = System.getProperty("bench.startup.trace");
        Path work = Path.of("target", "bench-startup-trace").toAbsolutePath();
        LambdaRuntimes.TaskRoot a = LambdaRuntimes.prepare(Path.of("target", "function.zip"), work.resolve("a"));
        String compare = System.getProperty("bench.startup.trace.compare", "");
        String optionsA = System.getProperty("bench.startup.trace.options", "");
        String optionsB = System.getProperty("bench.startup.trace.compareOptions", optionsA);
        boolean ab = !compare.isBlank() || !optionsB.equals(optionsA);
        LambdaRuntimes.TaskRoot b = compare.isBlank() ? a : LambdaRuntimes.prepare(Path.of(compare), work.resolve("b"));
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        try (EmbeddedS3 s3 = EmbeddedS3.inMemory(BUCKET, event -> {}).start()) {
            String event = SampleEvents.read(EVENTS.getOrDefault(export, export));
            for (int i = 0; i < Integer.getInteger("bench.startup.trace.runs", 1); i++) {
                for (String side : ab ? List.of("A", "B") : List.of("A")) {
                    String options = side.equals("A") ? optionsA : optionsB;
                    double[] run = lambda(
                            export,
                            side.equals("A") ? a : b,
                            s3,
                            event,
                            work,
                            options.isBlank() ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", options));
                    runs.computeIfAbsent(side, k -> new ArrayList<>()).add(run);
                    System.out.printf(Locale.ROOT, "trace %s %s: %s%n", export, side, format(run));
                }
            }
        }
        runs.forEach((side, list) -> System.out.printf(
                Locale.ROOT,
                "trace %s %s medians: first answer %s, init %s, Quarkus boot %s, CPU %s%n",
                export,
                side,
                SectionFiles.stats(list.stream().mapToDouble(r -> r[0]).toArray()),
                SectionFiles.stats(list.stream().mapToDouble(r -> r[1]).toArray()),
                SectionFiles.stats(list.stream().mapToDouble(r -> r[2]).toArray()),
                SectionFiles.stats(list.stream().mapToDouble(r -> r[3]).toArray())));
    }

    // ---- one run of each kind; each answers {first answer ms} or {first answer ms, init ms}

    /** The Lambda of {@code export} under the RIC, its event waiting: {first answer, init}. */
    private static double[] lambda(
            String export,
            LambdaRuntimes.TaskRoot root,
            EmbeddedS3 s3,
            String event,
            Path work,
            Map<String, String> env) {
        Map<String, String> extra = new HashMap<>(env);
        if (export.equals("hello")) {
            extra.put("_HANDLER", HelloHandler.class.getName() + "::handleRequest");
        }
        return firstAnswers(export, event, () -> startChild(export, root, s3, work, extra));
    }

    /** The native {@code bootstrap} of {@code export}, its event waiting: as {@link #lambda}. */
    private static double[] nativeLambda(String export, Path task, EmbeddedS3 s3, String event, Path work) {
        return firstAnswers(
                export,
                event,
                () -> LambdaRuntimes.Child.startNative(
                        export,
                        task,
                        s3,
                        work.resolve("native-" + export + ".log"),
                        MEMORY_MB,
                        Map.of(),
                        System.getenv("VISAGE_NATIVE_LIBRARY_PATH")));
    }

    interface Starter {
        LambdaRuntimes.Child start() throws IOException;
    }

    /**
     * One cold start: {first answer, init, Quarkus boot, CPU ms, second invocation, resident MB at the first answer}.
     */
    private static double[] firstAnswers(String export, String event, Starter starter) {
        LambdaRuntimes.Child child = null;
        try {
            child = starter.start();
            String answer = child.invoke(event, START);
            long cpu = child.cpuMillis();
            long residentKb = child.residentKb()[0];
            if (answer == null || answer.isBlank()) {
                throw new AssertionError(export + " answered nothing");
            }
            RuntimeApi api = child.api();
            long firstAnswer = api.lastAnswerNanos();
            // The same event again, on the now initialised runtime: a second (still cold-ish, C1) invocation.
            long again = System.nanoTime();
            child.invoke(event, START);
            return new double[] {
                ms(firstAnswer - child.startNanos()),
                ms(api.firstPollNanos() - child.startNanos()),
                quarkusStarted(child.log()),
                cpu,
                ms(api.lastAnswerNanos() - again),
                residentKb < 0 ? Double.NaN : residentKb / 1024.0
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            stop(child);
        }
    }

    /** Quarkus's own "started in" (its boot: static init to StartupEvent) from the log, in ms; NaN if absent. */
    private static double quarkusStarted(Path log) throws IOException {
        Matcher m = STARTED.matcher(Files.readString(log));
        return m.find() ? Double.parseDouble(m.group(1)) * 1000 : Double.NaN;
    }

    private static LambdaRuntimes.Child startChild(
            String export, LambdaRuntimes.TaskRoot root, EmbeddedS3 s3, Path work, Map<String, String> extra)
            throws IOException {
        Map<String, String> env = new HashMap<>(extra);
        String handler = env.remove("_HANDLER");
        return LambdaRuntimes.Child.start(
                export,
                root,
                s3,
                work.resolve(export + ".log"),
                MEMORY_MB,
                env,
                handler == null ? LambdaRuntimes.HANDLER : handler);
    }

    /** The number of classes the JVM loaded by the first answer of {@code export}. */
    private static int classesLoaded(
            String export, LambdaRuntimes.TaskRoot root, EmbeddedS3 s3, String event, Path work) throws Exception {
        Path log = work.resolve(export + "-classes.log");
        Files.deleteIfExists(log);
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log);
        if (export.equals("hello")) {
            env.put("_HANDLER", HelloHandler.class.getName() + "::handleRequest");
        }
        LambdaRuntimes.Child child = startChild(export, root, s3, work, env);
        try {
            child.invoke(event, START);
            Thread.sleep(300); // the log is written as classes load; let it reach the file
            try (var lines = Files.lines(log)) {
                return (int) lines.count();
            }
        } finally {
            stop(child);
        }
    }

    /** Local mode: {@code java -jar quarkus-run.jar} → the first HTTP answer. */
    private double[] local(Path jar, Path work) {
        Path dir = work.resolve("local");
        Process process = null;
        try {
            Files.createDirectories(dir);
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(LambdaRuntimes.java(), "-jar", jar.toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("local.log").toFile());
            Map<String, String> env = builder.environment();
            env.keySet()
                    .removeIf(k -> k.startsWith("JAVA_")
                            || k.startsWith("JDK_")
                            || k.startsWith("VISAGE_")
                            || k.startsWith("QUARKUS_")
                            || k.startsWith("AWS_"));
            env.put("VISAGE_LOCAL_PORT", Integer.toString(port));
            env.put("VISAGE_LOCAL_S3_PORT", "0");
            env.put("VISAGE_LOCAL_DATA_DIR", ""); // in memory
            URI uri = URI.create("http://127.0.0.1:" + port + "/v1/jobs/job_aaaaaaaaaaaaaaaaaaaaaaaaaa");
            long started = System.nanoTime();
            process = builder.start();
            long deadline = started + START.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("local mode exited with " + process.exitValue() + ": "
                            + Files.readString(work.resolve("local.log")));
                }
                try {
                    HttpResponse<Void> response = http.send(
                            HttpRequest.newBuilder(uri).timeout(START).build(), HttpResponse.BodyHandlers.discarding());
                    long answered = System.nanoTime();
                    if (response.statusCode() != 404) {
                        throw new AssertionError("local mode answered " + response.statusCode());
                    }
                    return new double[] {ms(answered - started)};
                } catch (ConnectException e) {
                    Thread.sleep(5);
                }
            }
            throw new AssertionError("local mode did not answer within " + START);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            stop(process);
        }
    }

    /** A JVM printing one line, with {@code flags}: start → the line read. */
    private static double[] hello(Path classes, List<String> flags) {
        List<String> command = new ArrayList<>();
        command.add(LambdaRuntimes.java());
        command.addAll(flags);
        command.addAll(List.of("-cp", classes.toString(), Hello.class.getName()));
        Process process = null;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().keySet().removeIf(k -> k.startsWith("JAVA_") || k.startsWith("JDK_"));
            long started = System.nanoTime();
            process = builder.start();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line = out.readLine();
                long answered = System.nanoTime();
                if (!"hello".equals(line)) {
                    throw new AssertionError("hello printed " + line);
                }
                return new double[] {ms(answered - started)};
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            stop(process);
        }
    }

    // ---- the report

    private void report(
            Map<String, List<double[]>> samples, Map<String, Object> classCounts, Map<String, Object> sizes) {
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, Object> ratios = new LinkedHashMap<>();
        figures.put("load_average_at_start", loadAtStart);
        figures.put("load_average_at_end", loadAverage());
        Map<String, Double> medians = new LinkedHashMap<>();
        samples.forEach((name, runs) -> {
            Map<String, Object> first =
                    SectionFiles.stats(runs.stream().mapToDouble(r -> r[0]).toArray());
            figures.put(name + "_first_answer_ms", first);
            medians.put(name, SectionFiles.median(first));
            if (runs.get(0).length > 1) {
                figures.put(
                        name + "_init_ms",
                        SectionFiles.stats(runs.stream().mapToDouble(r -> r[1]).toArray()));
                figures.put(
                        name + "_first_invocation_ms",
                        SectionFiles.stats(
                                runs.stream().mapToDouble(r -> r[0] - r[1]).toArray()));
                double[] boot = runs.stream()
                        .mapToDouble(r -> r[2])
                        .filter(Double::isFinite)
                        .toArray();
                if (boot.length > 0) {
                    figures.put(name + "_quarkus_boot_ms", SectionFiles.stats(boot));
                }
                figures.put(
                        name + "_cpu_ms",
                        SectionFiles.stats(runs.stream().mapToDouble(r -> r[3]).toArray()));
                figures.put(
                        name + "_second_invocation_ms",
                        SectionFiles.stats(runs.stream().mapToDouble(r -> r[4]).toArray()));
                double[] resident = runs.stream()
                        .mapToDouble(r -> r[5])
                        .filter(Double::isFinite)
                        .toArray();
                if (resident.length > 0) {
                    figures.put(name + "_rss_at_first_answer_mb", SectionFiles.stats(resident));
                }
            }
        });
        figures.put("classes_loaded_by_first_answer", classCounts);
        figures.put("artifact_sizes", sizes);
        double helloLocal = medians.get("floor_hello_jvm");
        double helloLambda = medians.get("floor_hello_jvm_lambda_flags");
        double ricHello = medians.get("floor_ric_hello");
        boolean met = true;
        List<String> missed = new ArrayList<>();
        List<String> nativeMissed = new ArrayList<>();
        for (var entry : medians.entrySet()) {
            String name = entry.getKey();
            if (name.startsWith("floor_")) {
                continue;
            }
            double median = entry.getValue();
            if (name.startsWith("native_")) {
                ratios.put(name + "_vs_300ms_target", ratio(median / NATIVE_TARGET_MS));
                ratios.put(name + "_vs_ric_hello", ratio(median / ricHello));
                ratios.put(name + "_vs_jvm", ratio(median / medians.get("lambda_" + name.substring(7))));
                if (median > NATIVE_TARGET_MS) {
                    nativeMissed.add(name.substring(7) + String.format(Locale.ROOT, " %.0f ms", median));
                }
                continue;
            }
            ratios.put(name + "_vs_1s_target", ratio(median / TARGET_MS));
            boolean lambda = name.startsWith("lambda_");
            ratios.put(name + "_vs_hello_jvm", ratio(median / (lambda ? helloLambda : helloLocal)));
            if (lambda) {
                ratios.put(name + "_vs_ric_hello", ratio(median / ricHello));
            }
            // The target is for each export's own first request; the head-shot run is reported only.
            if (lambda && !name.equals("lambda_submit_head_shot") && median > TARGET_MS) {
                met = false;
                missed.add(name.substring("lambda_".length()) + String.format(Locale.ROOT, " %.0f ms", median));
            }
        }
        figures.put("machine", machine());
        figures.put("lambda_jvm_options", String.join(" ", LambdaRuntimes.jvmOptions(MEMORY_MB)));
        figures.put("runs", RUNS);
        figures.put("warmup_runs", WARMUP);
        SectionFiles.write(
                3,
                "startup",
                "Start-up",
                figures,
                ratios,
                "<= 1000 ms from process start to the first answered request, JVM Lambda artifact under the RIC, "
                        + "each export (median of " + RUNS + " runs, on this 2-core machine)",
                met,
                (met ? "Met for every export. " : "Missed for " + String.join(", ", missed) + ". ")
                        + "first_answer = process start -> answer posted to the Runtime API (Lambda) or HTTP answer "
                        + "received (local); init = process start -> first /next call (Lambda's billed Init Duration); "
                        + "first_invocation = the first event's handling, cold (class loading, S3 client's first "
                        + "call). The Lambda runs use AWS java21-like JVM options (" + MEMORY_MB + " MB: heap 85%, "
                        + "C1 only, serial GC, default CDS) on this machine's JDK, with S3 on an in-process embedded "
                        + "S3 over loopback, one process at a time. lambda_submit_head_shot's first answer includes "
                        + "loading ONNX Runtime and the BlazeFace models for the first local job: reported, not "
                        + "part of the target. Floors: hello = a JVM printing one line; ric_hello = a do-nothing "
                        + "stream handler under the same RIC (what any Java Lambda pays). The machine is shared "
                        + "and has 2 cores: min..max shows the noise. "
                        + (sizes.containsKey("native_executable_bytes")
                                ? "native_* = the native bootstrap of target/native/function.zip (the provided.al2023 "
                                        + "way: the executable itself), same events, interleaved with the JVM runs; "
                                        + "target <= " + (int) NATIVE_TARGET_MS + " ms: "
                                        + (nativeMissed.isEmpty()
                                                ? "met"
                                                : "missed for " + String.join(", ", nativeMissed))
                                        + ". Built with a stand-in GraalVM (docs/native.md) whose executable loads the "
                                        + "JDK's libraries dynamically (a real GraalVM links them in): its start-up "
                                        + "and RSS include those few hundred KB of shared libraries. "
                                : "No native rows: GRAALVM_HOME was not set. ")
                        + "rss_at_first_answer = the process's VmRSS just after its first answer.");
    }

    /** /proc/loadavg's 1, 5 and 15 minute figures (Linux), or "unknown". */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        m.put("memory_gib", Math.round(memory / (1024.0 * 1024 * 1024)));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        m.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        return m;
    }

    // ---- helpers

    /**
     * A task root holding only {@link HelloHandler}, with the artifact's runtime library directory:
     * the RIC loads it from {@code user.dir} as it loads the artifact.
     */
    private static LambdaRuntimes.TaskRoot helloTaskRoot(LambdaRuntimes.TaskRoot artifact, Path dir)
            throws IOException {
        String resource = HelloHandler.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = HelloHandler.class.getClassLoader().getResourceAsStream(resource)) {
            Files.write(target, in.readAllBytes());
        }
        return new LambdaRuntimes.TaskRoot(dir, artifact.runtimeLib(), artifact.jni());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void stop(LambdaRuntimes.Child child) {
        if (child != null) {
            try {
                child.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops a process this bench started, by its own handle. */
    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double ratio(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static String format(double[] run) {
        return run.length > 1
                ? String.format(
                        Locale.ROOT,
                        "first answer %.0f ms (init %.0f ms, Quarkus boot %.0f ms, CPU %.0f ms; second invocation %.0f ms)",
                        run[0],
                        run[1],
                        run[2],
                        run[3],
                        run[4])
                : String.format(Locale.ROOT, "%.0f ms", run[0]);
    }
}
