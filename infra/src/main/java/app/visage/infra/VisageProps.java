package app.visage.infra;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * What a {@link Visage} is made of. Required: the JVM artifact and the client authentication; everything else has
 * the defaults of the app's context ({@link DeploySettings}, {@link OperationsSettings}, {@link AppSettings}).
 * {@link #fromContext} builds them from cdk.json's context; {@link #builder} from code.
 *
 * @param bucket an existing bucket to use instead of one the construct makes; its lifecycle rules and CORS are then
 *     its owner's to set (docs/deployment.md, bring your own bucket: {@link Visage#lifecycleRules} lists them)
 * @param encryptionKey a KMS key: the bucket the construct makes is encrypted with it (SSE-KMS) and every function
 *     may use it; with a bucket of your own, the key that bucket is encrypted with
 * @param memorySize MB for every function instead of each one's own ({@link VisageFunction}); null keeps those
 * @param appSettings {@code visage.*} property → value ({@link AppSettings}), set on every function
 */
public record VisageProps(
        DeploySettings.Runtime runtime,
        Path jvmArtifact,
        Path nativeArtifact,
        ClientAuth clientAuth,
        String cleanupSchedule,
        int recordRetentionDays,
        Integer workerMaxConcurrency,
        boolean retainData,
        String secretsRevision,
        String secretsExtensionLayerArn,
        OperationsSettings operations,
        Map<String, String> appSettings,
        IBucket bucket,
        IKey encryptionKey,
        Architecture architecture,
        Integer memorySize,
        String domainName,
        String certificateArn) {

    public VisageProps {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(jvmArtifact, "jvmArtifact");
        Objects.requireNonNull(clientAuth, "clientAuth: API keys or a JWT issuer (ClientAuth)");
        Objects.requireNonNull(operations, "operations");
        Objects.requireNonNull(architecture, "architecture");
        if (runtime == DeploySettings.Runtime.NATIVE && nativeArtifact == null) {
            throw new IllegalArgumentException("the native runtime needs nativeArtifact");
        }
        appSettings = AppSettings.check(appSettings == null ? Map.of() : appSettings, "appSettings: ");
        int dueMarkerDays = Visage.dueMarkerDays(appSettings);
        if (recordRetentionDays < dueMarkerDays) {
            throw new IllegalArgumentException("recordRetentionDays (" + recordRetentionDays + ") must be at least "
                    + dueMarkerDays + " with visage.ttl " + appSettings.getOrDefault("visage.ttl", "PT24H")
                    + ": a record must outlive its job's TTL and its timers");
        }
        if (memorySize != null && (memorySize < 512 || memorySize > 10240)) {
            throw new IllegalArgumentException("memorySize must be 512 to 10240 MB, not " + memorySize);
        }
        if ((domainName == null) != (certificateArn == null)) {
            throw new IllegalArgumentException("domainName and certificateArn go together: a custom domain needs its"
                    + " ACM certificate (in the stack's region)");
        }
        if (domainName != null
                && !domainName.matches("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}")) {
            throw new IllegalArgumentException(
                    "domainName must be a lower-case DNS name (api.example.com), not '" + domainName + "'");
        }
        if (certificateArn != null
                && !certificateArn.matches("arn:[^:]+:acm:[^:]+:\\d{12}:certificate/[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException(
                    "certificateArn must be an ACM certificate ARN, not '" + certificateArn + "'");
        }
        appSettings = Map.copyOf(appSettings);
    }

    /** The app's context (cdk.json, {@code -c}): every key infra/README.md lists. */
    public static Builder fromContext(software.constructs.Node node, Path infraDir) {
        DeploySettings d = DeploySettings.from(node, infraDir);
        String arch = DeploySettings.context(node, "architecture", "x86_64").toLowerCase(Locale.ROOT);
        Architecture architecture = switch (arch) {
            case "x86_64" -> Architecture.X86_64;
            case "arm64" -> Architecture.ARM_64;
            default ->
                throw new IllegalArgumentException("context architecture must be 'x86_64' or 'arm64', not '" + arch
                        + "' (the native artifact is built for the machine that built it: x86_64 unless built on"
                        + " arm64)");
        };
        if (d.nativeArtifact() != null) {
            DeploySettings.bootstrapArchitecture(d.nativeArtifact())
                    .filter(built -> !built.equals(arch))
                    .ifPresent(built -> {
                        throw new IllegalArgumentException("the native artifact's bootstrap is built for " + built
                                + ", not for context architecture " + arch + ": build the native zip on " + arch
                                + ", or deploy with -c architecture=" + built);
                    });
        }
        String memory = DeploySettings.context(node, "memorySize", null);
        return builder()
                .runtime(d.runtime())
                .jvmArtifact(d.jvmArtifact())
                .nativeArtifact(d.nativeArtifact())
                .clientAuth(d.clientAuth())
                .cleanupSchedule(d.cleanupSchedule())
                .recordRetentionDays(d.recordRetentionDays())
                .workerMaxConcurrency(d.workerMaxConcurrency())
                .retainData(d.retainData())
                .secretsRevision(d.secretsRevision())
                .secretsExtensionLayerArn(d.secretsExtensionLayerArn())
                .operations(OperationsSettings.from(node))
                .appSettings(AppSettings.from(node))
                .architecture(architecture)
                .memorySize(memory == null ? null : DeploySettings.wholeNumber("memorySize", memory, 512, 10240))
                .domainName(DeploySettings.context(node, "domainName", null))
                .certificateArn(DeploySettings.context(node, "certificateArn", null));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults as the context's: JVM runtime, x86_64, records kept 30 days, data retained. */
    public static final class Builder {
        private DeploySettings.Runtime runtime = DeploySettings.Runtime.JVM;
        private Path jvmArtifact;
        private Path nativeArtifact;
        private ClientAuth clientAuth;
        private String cleanupSchedule = DeploySettings.DEFAULT_CLEANUP_SCHEDULE;
        private int recordRetentionDays = DeploySettings.DEFAULT_RECORD_RETENTION_DAYS;
        private Integer workerMaxConcurrency;
        private boolean retainData = true;
        private String secretsRevision;
        private String secretsExtensionLayerArn;
        private OperationsSettings operations = new OperationsSettings(
                null,
                OperationsSettings.DEFAULT_API_THROTTLE_RATE,
                OperationsSettings.DEFAULT_API_THROTTLE_BURST,
                OperationsSettings.DEFAULT_PROVIDERS);
        private Map<String, String> appSettings = Map.of();
        private IBucket bucket;
        private IKey encryptionKey;
        private Architecture architecture = Architecture.X86_64;
        private Integer memorySize;
        private String domainName;
        private String certificateArn;

        public Builder runtime(DeploySettings.Runtime runtime) {
            this.runtime = runtime;
            return this;
        }

        public Builder jvmArtifact(Path jvmArtifact) {
            this.jvmArtifact = jvmArtifact;
            return this;
        }

        public Builder nativeArtifact(Path nativeArtifact) {
            this.nativeArtifact = nativeArtifact;
            return this;
        }

        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
            return this;
        }

        public Builder cleanupSchedule(String cleanupSchedule) {
            this.cleanupSchedule = cleanupSchedule;
            return this;
        }

        public Builder recordRetentionDays(int recordRetentionDays) {
            this.recordRetentionDays = recordRetentionDays;
            return this;
        }

        public Builder workerMaxConcurrency(Integer workerMaxConcurrency) {
            this.workerMaxConcurrency = workerMaxConcurrency;
            return this;
        }

        public Builder retainData(boolean retainData) {
            this.retainData = retainData;
            return this;
        }

        public Builder secretsRevision(String secretsRevision) {
            this.secretsRevision = secretsRevision;
            return this;
        }

        public Builder secretsExtensionLayerArn(String secretsExtensionLayerArn) {
            this.secretsExtensionLayerArn = secretsExtensionLayerArn;
            return this;
        }

        public Builder operations(OperationsSettings operations) {
            this.operations = operations;
            return this;
        }

        public Builder appSettings(Map<String, String> appSettings) {
            this.appSettings = appSettings;
            return this;
        }

        public Builder bucket(IBucket bucket) {
            this.bucket = bucket;
            return this;
        }

        public Builder encryptionKey(IKey encryptionKey) {
            this.encryptionKey = encryptionKey;
            return this;
        }

        public Builder architecture(Architecture architecture) {
            this.architecture = architecture;
            return this;
        }

        public Builder memorySize(Integer memorySize) {
            this.memorySize = memorySize;
            return this;
        }

        public Builder domainName(String domainName) {
            this.domainName = domainName;
            return this;
        }

        public Builder certificateArn(String certificateArn) {
            this.certificateArn = certificateArn;
            return this;
        }

        public VisageProps build() {
            return new VisageProps(
                    runtime,
                    jvmArtifact,
                    nativeArtifact,
                    clientAuth,
                    cleanupSchedule,
                    recordRetentionDays,
                    workerMaxConcurrency,
                    retainData,
                    secretsRevision,
                    secretsExtensionLayerArn,
                    operations,
                    appSettings,
                    bucket,
                    encryptionKey,
                    architecture,
                    memorySize,
                    domainName,
                    certificateArn);
        }
    }
}
