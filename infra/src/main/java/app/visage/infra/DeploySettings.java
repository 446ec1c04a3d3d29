package app.visage.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipFile;
import software.constructs.Node;

/**
 * The app's context flags ({@code -c key=value} on the CLI, {@code context} in cdk.json, or
 * arguments of the build's synth), checked before anything is built so a mistake is one clear
 * message at synth rather than a broken deployment.
 *
 * <ul>
 * <li>{@code runtime}: {@code jvm} (default; all six on java21 with SnapStart) or {@code native}
 * (submit, status, webhook on provided.al2023; upload, worker and cleanup stay on java21)</li>
 * <li>{@code jvmArtifact}: the JVM function.zip, default {@code ../target/function.zip}</li>
 * <li>{@code nativeArtifact}: the native zip holding {@code bootstrap}, default
 * {@code ../target/native/function.zip} (read only when {@code runtime=native})</li>
 * <li>{@code cleanupSchedule}: the cleanup rule's schedule expression, default {@code rate(5 minutes)}: how
 * often the due-work index is read (a run with nothing due lists one page)</li>
 * <li>{@code recordRetentionDays}: days a job record is kept ({@code visage.record-retention}; the
 * bucket's lifecycle deletes it), default 30, at least 3: a record must outlive its job's TTL, its
 * client webhook retries and its markers in the due-work index</li>
 * <li>{@code workerMaxConcurrency}: at most this many worker invocations at once (2–1000, the event
 * source's maximum concurrency), so a burst of work cannot take the concurrency the API needs; default
 * none (Lambda scales the worker to the account's concurrency)</li>
 * <li>{@code removalPolicy}: {@code retain} (default) or {@code destroy}, for the bucket and the secret</li>
 * <li>{@code stackName}: default {@code Visage}</li>
 * <li>{@code secretsRevision}: any value; changing it publishes new versions of every function, so
 * they read the secret again (a SnapStart snapshot holds what the secret said when it was taken)</li>
 * <li>{@code secretsExtensionLayerArn}: the AWS Parameters and Secrets Lambda Extension layer to use,
 * instead of the CDK's regional table of version 1.0.103 (x86_64)</li>
 * <li>{@code apiKeys}: the clients' API keys as {@code tenant=<sha256 hex of the key>} entries,
 * comma-separated ({@code VISAGE_AUTH_API_KEYS} of submit and status); hashes only, never keys</li>
 * <li>{@code jwtIssuer}: instead of apiKeys, the https URL of the issuer whose JWTs an API Gateway
 * authorizer checks on the client routes (not the provider webhook route)</li>
 * <li>{@code jwtAudience}: with jwtIssuer, required: the accepted audiences, comma-separated</li>
 * <li>{@code jwtTenantClaim}: with jwtIssuer, the verified claim naming the tenant, default {@code sub}
 * ({@code VISAGE_AUTH_JWT_TENANT_CLAIM})</li>
 * </ul>
 * Exactly one of apiKeys and jwtIssuer is required ({@link ClientAuth}). Relative artifact paths are
 * resolved against infra/.
 */
public record DeploySettings(
        String stackName,
        Runtime runtime,
        Path jvmArtifact,
        Path nativeArtifact,
        String cleanupSchedule,
        int recordRetentionDays,
        Integer workerMaxConcurrency,
        boolean retainData,
        String secretsRevision,
        String secretsExtensionLayerArn,
        ClientAuth clientAuth) {

    public static final String DEFAULT_JVM_ARTIFACT = "../target/function.zip";
    public static final String DEFAULT_NATIVE_ARTIFACT = "../target/native/function.zip";
    public static final String DEFAULT_CLEANUP_SCHEDULE = "rate(5 minutes)";
    public static final int DEFAULT_RECORD_RETENTION_DAYS = 30;

    public enum Runtime {
        JVM,
        NATIVE
    }

    public static DeploySettings from(Node node, Path infraDir) {
        String runtimeName = context(node, "runtime", "jvm").toLowerCase(Locale.ROOT);
        Runtime runtime = switch (runtimeName) {
            case "jvm" -> Runtime.JVM;
            case "native" -> Runtime.NATIVE;
            default ->
                throw new IllegalArgumentException(
                        "context runtime must be 'jvm' or 'native', not '" + runtimeName + "'");
        };
        Path jvm =
                artifact(infraDir, context(node, "jvmArtifact", DEFAULT_JVM_ARTIFACT), "jvmArtifact", "./mvnw package");
        Path nativeZip = null;
        if (runtime == Runtime.NATIVE) {
            nativeZip = artifact(
                    infraDir,
                    context(node, "nativeArtifact", DEFAULT_NATIVE_ARTIFACT),
                    "nativeArtifact",
                    "the native build, see infra/README.md");
            requireBootstrap(nativeZip);
        }
        String schedule =
                context(node, "cleanupSchedule", DEFAULT_CLEANUP_SCHEDULE).trim();
        if (!schedule.matches("(rate|cron)\\(.+\\)")) {
            throw new IllegalArgumentException(
                    "context cleanupSchedule must be an EventBridge rate(…) or cron(…) expression, not '" + schedule
                            + "'");
        }
        String concurrency = context(node, "workerMaxConcurrency", null);
        String removal = context(node, "removalPolicy", "retain").toLowerCase(Locale.ROOT);
        if (!removal.equals("retain") && !removal.equals("destroy")) {
            throw new IllegalArgumentException(
                    "context removalPolicy must be 'retain' or 'destroy', not '" + removal + "'");
        }
        String layerArn = context(node, "secretsExtensionLayerArn", null);
        if (layerArn != null && !layerArn.matches("arn:[^:]+:lambda:[^:]*:\\d{12}:layer:[^:]+:\\d+")) {
            throw new IllegalArgumentException(
                    "context secretsExtensionLayerArn must be a Lambda layer version ARN, not '" + layerArn + "'");
        }
        return new DeploySettings(
                context(node, "stackName", "Visage"),
                runtime,
                jvm,
                nativeZip,
                schedule,
                wholeNumber(
                        "recordRetentionDays",
                        context(node, "recordRetentionDays", String.valueOf(DEFAULT_RECORD_RETENTION_DAYS)),
                        3,
                        36500),
                concurrency == null ? null : wholeNumber("workerMaxConcurrency", concurrency, 2, 1000),
                removal.equals("retain"),
                context(node, "secretsRevision", null),
                layerArn,
                ClientAuth.from(node));
    }

    static String context(Node node, String key, String fallback) {
        Object value = node.tryGetContext(key);
        if (value == null || value.toString().isBlank()) {
            return fallback;
        }
        return value.toString();
    }

    static int wholeNumber(String key, String given, int min, int max) {
        String value = given.trim();
        if (value.matches("\\d{1,9}")) {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                "context " + key + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }

    private static Path artifact(Path infraDir, String given, String key, String howToBuild) {
        Path path = infraDir.resolve(given).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("Visage artifact not found: " + path + " (context " + key + "=" + given
                    + ", relative to " + infraDir + "). Build it first (" + howToBuild
                    + ") or pass -c " + key + "=<path to the zip>.");
        }
        return path;
    }

    /**
     * The architecture the native zip's {@code bootstrap} was built for, read from its ELF header
     * ({@code e_machine}); empty when it is not an ELF executable (a script).
     */
    static java.util.Optional<String> bootstrapArchitecture(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            var entry = file.getEntry("bootstrap");
            if (entry == null) {
                return java.util.Optional.empty();
            }
            byte[] header = file.getInputStream(entry).readNBytes(20);
            if (header.length < 20 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
                return java.util.Optional.empty();
            }
            int machine = (header[18] & 0xff) | (header[19] & 0xff) << 8;
            return java.util.Optional.of(machine == 0x3e ? "x86_64" : machine == 0xb7 ? "arm64" : "machine " + machine);
        } catch (IOException e) {
            throw new UncheckedIOException("the native artifact " + zip + " is not a readable zip", e);
        }
    }

    /** A provided.al2023 function runs the zip's {@code bootstrap}; without one it could never start. */
    private static void requireBootstrap(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            if (file.getEntry("bootstrap") == null) {
                throw new IllegalArgumentException("the native artifact " + zip
                        + " holds no 'bootstrap' executable at its root: is it the JVM function.zip?");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the native artifact " + zip + " is not a readable zip", e);
        }
    }
}
