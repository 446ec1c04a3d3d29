package app.visage.packaging;

import app.visage.local.s3.EmbeddedS3;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The packaged artifact run as AWS's Java runtime runs it, for {@link RuntimeInterfaceClientIT} and the
 * start-up and cost benchmarks. {@code target/function.zip} is unpacked as the task root
 * ({@code /var/task}); each function gets its own JVM running AWS's runtime interface client
 * ({@code AWSLambda}, the RIC) with the Lambda's handler, environment and {@code QUARKUS_FUNQY_EXPORT},
 * polling a {@link RuntimeApi} on loopback. S3 is an {@link EmbeddedS3} in the calling JVM.
 *
 * <p>As in AWS, the JVM's class path holds only the runtime (the RIC, aws-lambda-java-core,
 * aws-lambda-java-serialization, utils-lite, copied to one directory as in {@code /var/runtime/lib}),
 * and the RIC loads the function from its working directory ({@code user.dir}, the task root) and
 * the task root's {@code lib/*.jar} in its own class loader. So the artifact runs with the class
 * loading it gets in AWS, not with everything on one class path.
 */
public final class LambdaRuntimes {
    /** {@code sample=} the SHA-256 of {@code vsk_sample_4f9c2e7a1b3d5f60718293a4b5c6d7e8}, the samples' key. */
    static final String SAMPLE_API_KEYS = "sample=d271232eba980083accdd58dc7619c7dea5de952643f3039876d883e53d71878";

    public static final String HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";
    public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    public static final List<String> EXPORTS = List.of("submit", "status", "webhook", "upload", "worker", "cleanup");

    /** The class of {@code export}'s {@code @Funq} entry point, e.g. {@code app.visage.functions.SubmitFunction}. */
    public static String functionClass(String export) {
        return "app.visage.functions." + Character.toUpperCase(export.charAt(0)) + export.substring(1) + "Function";
    }
    /** The RIC and what it loads from the system class path, each found by one of its classes. */
    private static final List<String> RUNTIME_CLASSES = List.of(
            RIC_MAIN,
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

    private static final String JNI_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static final List<String> PROVIDERS =
            List.of("MODELSLAB", "MODELSLAB_ENTERPRISE", "MODELSLAB_FACE_GEN", "FASHN", "METAHUMAN");
    public static final String REGION = "eu-west-1";
    private static final String ACCOUNT = "123456789012";
    private static final Duration STOP = Duration.ofSeconds(10);

    private LambdaRuntimes() {}

    /**
     * An unpacked artifact: the task root, the runtime's library directory, and the RIC's JNI client
     * for this machine (null where the RIC unpacks its own).
     */
    public record TaskRoot(Path task, Path runtimeLib, Path jni) {}

    /** Unpacks {@code zip} under {@code work} (emptied first) as a task root beside a runtime library directory. */
    public static TaskRoot prepare(Path zip, Path work) throws Exception {
        Path task = unpack(zip, work, "the package phase");
        Path runtimeLib = work.resolve("runtime").resolve("lib");
        Files.createDirectories(runtimeLib);
        for (String name : RUNTIME_CLASSES) {
            Path jar = jarOf(name);
            Files.copy(jar, runtimeLib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return new TaskRoot(task, runtimeLib, extractJni(runtimeLib.resolve("jni")));
    }

    /**
     * Unpacks a native {@code function.zip} under {@code work} (emptied first) as a task root, its {@code bootstrap}
     * executable again (the zip reader here drops file modes); answers the task root.
     */
    public static Path prepareNative(Path zip, Path work) throws IOException {
        Path task = unpack(zip, work, "./mvnw -Pnative package");
        if (!task.resolve("bootstrap").toFile().setExecutable(true)) {
            throw new IOException("no bootstrap to run in " + zip);
        }
        return task;
    }

    /** Empties {@code work} and unpacks {@code zip} into its {@code task} folder; answers that folder. */
    private static Path unpack(Path zip, Path work, String builtBy) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build it with " + builtBy);
        }
        deleteRecursively(work);
        Path task = work.resolve("task");
        unzip(zip, task);
        return task;
    }

    /**
     * JVM options in the manner of AWS's java21 runtime for a function of {@code memoryMb}: heap from
     * the memory size, C1 only, serial GC, the default CDS archive.
     */
    public static List<String> jvmOptions(int memoryMb) {
        return List.of(
                "-XX:MaxHeapSize=" + memoryMb * 85 / 100 + "m",
                "-XX:+UseSerialGC",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-Djava.net.preferIPv4Stack=true");
    }

    /** The JDK running this build. */
    public static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElseGet(() ->
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** One Lambda: a JVM running the RIC against its own runtime API. */
    public static final class Child {
        private final String export;
        private final RuntimeApi api;
        private final Process process;
        private final Path log;
        private final long startNanos;

        private Child(String export, RuntimeApi api, Process process, Path log, long startNanos) {
            this.export = export;
            this.api = api;
            this.process = process;
            this.log = log;
            this.startNanos = startNanos;
        }

        /**
         * Starts {@code export}'s runtime on the task root, with a Lambda's environment for a function
         * of {@code memoryMb}, S3 on {@code s3}, paid providers on a refused loopback port unless
         * {@code extraEnv} points them elsewhere; {@code extraEnv} is applied last.
         */
        public static Child start(
                String export, TaskRoot root, EmbeddedS3 s3, Path log, int memoryMb, Map<String, String> extraEnv)
                throws IOException {
            return start(export, root, s3, log, memoryMb, extraEnv, HANDLER);
        }

        /** As {@link #start(String, TaskRoot, EmbeddedS3, Path, int, Map)}, with another handler ({@code Class::method}). */
        public static Child start(
                String export,
                TaskRoot root,
                EmbeddedS3 s3,
                Path log,
                int memoryMb,
                Map<String, String> extraEnv,
                String handler)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(java());
            // Then the runtime class path: one wildcard entry, so the command line stays short
            // (ONNX Runtime crashes on very long ones).
            command.addAll(jvmOptions(memoryMb));
            if (root.jni() != null) {
                // The RIC otherwise unpacks it to one fixed /tmp path, which JVMs starting at once race on.
                command.add("-D" + JNI_PROPERTY + "=" + root.jni());
            }
            command.addAll(List.of("-cp", root.runtimeLib() + "/*", RIC_MAIN, handler));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("_HANDLER", handler);
            env.put("LAMBDA_RUNTIME_DIR", root.runtimeLib().getParent().toString());
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            env.putAll(extraEnv);
            return launch(export, command, root.task(), s3, log, memoryMb, env);
        }

        /**
         * Starts {@code export} as the {@code bootstrap} of a native {@code function.zip} unpacked at {@code task},
         * as the {@code provided.al2023} runtime runs it: the executable itself, from the task root, with the same
         * Lambda environment as {@link #start}. {@code libraryPath}, when not blank, becomes its
         * {@code LD_LIBRARY_PATH} (a stand-in GraalVM links the JDK's libraries dynamically).
         */
        public static Child startNative(
                String export,
                Path task,
                EmbeddedS3 s3,
                Path log,
                int memoryMb,
                Map<String, String> extraEnv,
                String libraryPath)
                throws IOException {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("_HANDLER", "bootstrap");
            env.put("LAMBDA_RUNTIME_DIR", "/var/runtime");
            if (libraryPath != null && !libraryPath.isBlank()) {
                env.put("LD_LIBRARY_PATH", libraryPath);
            }
            env.putAll(extraEnv);
            return launch(export, List.of(task.resolve("bootstrap").toString()), task, s3, log, memoryMb, env);
        }

        /**
         * Starts {@code command} in {@code task} with a Lambda's environment for a function of {@code memoryMb}, S3
         * on {@code s3}, paid providers on a refused loopback port unless {@code runtimeEnv} points them elsewhere;
         * {@code runtimeEnv} is applied last.
         */
        private static Child launch(
                String export,
                List<String> command,
                Path task,
                EmbeddedS3 s3,
                Path log,
                int memoryMb,
                Map<String, String> runtimeEnv)
                throws IOException {
            String function = "visage-" + export;
            RuntimeApi api = RuntimeApi.start("arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + function);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(task.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.clear(); // nothing of this machine's environment (no credentials, no JAVA_TOOL_OPTIONS)
            env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
            env.put("LANG", "en_US.UTF-8");
            env.put("TZ", ":UTC");
            env.put("LAMBDA_TASK_ROOT", task.toString());
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("AWS_LAMBDA_FUNCTION_NAME", function);
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function);
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/21/[$LATEST]" + export);
            env.put("AWS_REGION", REGION);
            env.put("AWS_DEFAULT_REGION", REGION);
            // The role's credentials, here the embedded S3's key pair.
            env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
            env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
            // No profile files and no instance metadata: the SDK finds nothing beyond the variables above.
            env.put("AWS_CONFIG_FILE", task.resolveSibling("no-aws-config").toString());
            env.put(
                    "AWS_SHARED_CREDENTIALS_FILE",
                    task.resolveSibling("no-aws-credentials").toString());
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("QUARKUS_FUNQY_EXPORT", export);
            env.put("VISAGE_BUCKET", s3.bucket());
            env.put("VISAGE_S3_ENDPOINT", s3.endpoint().toString());
            env.put("VISAGE_S3_PATH_STYLE", "true");
            env.put("VISAGE_S3_REGION", s3.region());
            env.put("VISAGE_PUBLIC_BASE_URL", "http://127.0.0.1:8080");
            // The hash of the key the events/ samples carry: submit and status refuse to start open.
            env.put("VISAGE_AUTH_API_KEYS", SAMPLE_API_KEYS);
            // Paid providers stay on loopback: a refused connection, never the real services.
            for (String provider : PROVIDERS) {
                env.put("VISAGE_PROVIDERS_" + provider + "_BASE_URL", "http://127.0.0.1:9");
            }
            env.putAll(runtimeEnv);
            long started = System.nanoTime();
            Process process = builder.start();
            process.onExit().thenAccept(p -> api.abort(export + "'s runtime exited with code " + p.exitValue()));
            return new Child(export, api, process, log, started);
        }

        public String export() {
            return export;
        }

        public Path log() {
            return log;
        }

        /** {@link System#nanoTime()} just before the process was started. */
        public long startNanos() {
            return startNanos;
        }

        public RuntimeApi api() {
            return api;
        }

        /** CPU time (user + system, all threads) the runtime's JVM has used so far, in ms; -1 if unknown. */
        public long cpuMillis() {
            return process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
        }

        /**
         * The runtime's resident set (VmRSS of /proc/PID/status) in KB, and its peak (VmHWM), for the process this
         * harness started; -1 where /proc does not tell.
         */
        public long[] residentKb() {
            long[] kb = {-1, -1};
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kb[0] = Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("VmHWM:")) {
                        kb[1] = Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not Linux, or the process is gone: unknown
            }
            return kb;
        }

        /** Waits up to {@code timeout} for the runtime's process to end; answers whether it did. */
        public boolean awaitExit(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits until the runtime has initialised and asks for its first event. */
        public void awaitReady(Duration timeout) throws InterruptedException {
            try {
                api.awaitReady(timeout);
            } catch (TimeoutException | RuntimeApi.FunctionError e) {
                throw new AssertionError(export + " did not start: " + e.getMessage() + "\n" + tail(80), e);
            }
        }

        /** Invokes the function with {@code event} and answers what it returned. */
        public String invoke(String event, Duration timeout) {
            try {
                return api.invoke(event, timeout);
            } catch (TimeoutException | RuntimeApi.FunctionError e) {
                throw new AssertionError(export + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(export + ": interrupted", e);
            }
        }

        /** Stops this runtime's JVM (by its own handle, so only the process this harness started). */
        public void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
            }
            api.close();
        }

        /** The last {@code lines} lines the runtime printed. */
        public String tail(int lines) {
            try {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException | UncheckedIOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    private static Path jarOf(String className) throws Exception {
        Class<?> type = Class.forName(className, false, LambdaRuntimes.class.getClassLoader());
        Path jar =
                Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!jar.getFileName().toString().endsWith(".jar")) {
            throw new IllegalStateException("the jar of " + className + " is not a jar: " + jar);
        }
        return jar;
    }

    /**
     * The RIC's JNI client for this machine, unpacked from its jar to {@code dir}; null (the RIC then
     * unpacks it itself) on a platform the jar has no library for.
     */
    private static Path extractJni(Path dir) throws Exception {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> null;
        };
        if (arch == null || !System.getProperty("os.name").equals("Linux")) {
            return null;
        }
        boolean musl;
        try (Stream<Path> lib = Files.list(Path.of("/lib"))) {
            musl = lib.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
        }
        String name = "libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + arch + ".so";
        Class<?> ric = Class.forName(RIC_MAIN, false, LambdaRuntimes.class.getClassLoader());
        try (InputStream in = ric.getResourceAsStream("/jni/" + name)) {
            if (in == null) {
                return null;
            }
            Files.createDirectories(dir);
            Path target = dir.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }

    private static void unzip(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
