package app.visage.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes the stack in memory, once per variant for the whole test run (jsii is slow to
 * start), against placeholder artifacts the tests write themselves.
 */
final class Synth {
    static final Path INFRA_DIR = VisageApp.infraDir();
    static final Path PLACEHOLDERS = Path.of(System.getProperty(
                    "visage.placeholders",
                    INFRA_DIR.resolve("target/test-placeholders").toString()))
            .toAbsolutePath();

    static final String EXTENSION_LAYER =
            "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension:12";

    /** Two tenants' API keys as the stack takes them: the SHA-256 of each key, never the key. */
    static final String API_KEYS = "acme=" + sha256Hex("acme test key") + ",beta.co=" + sha256Hex("beta test key");

    static final String ALARM_EMAIL = "oncall@example.com";

    static final String JWT_ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example";
    static final List<String> JWT_AUDIENCE = List.of("client-one", "client-two");

    private static Synthesized jvm;
    private static Synthesized nativeVariant;
    private static Synthesized overridden;
    private static Synthesized jwt;
    private static Synthesized ownBucket;
    private static Synthesized arm64;

    /** A synthesized stack: the assertions' view and the raw template. */
    record Synthesized(Template template, Annotations annotations, Map<String, Object> json) {
        Map<String, Object> resources() {
            return Json.map(json.get("Resources"));
        }
    }

    static final Map<String, Object> JVM = Map.of("runtime", "jvm", "apiKeys", API_KEYS);
    static final Map<String, Object> NATIVE = Map.of("runtime", "native", "apiKeys", API_KEYS);
    /** The JVM variant with every optional context value changed from its default. */
    static final Map<String, Object> OVERRIDDEN = pairs(
            "cleanupSchedule",
            "rate(1 minute)",
            "workerMaxConcurrency",
            "5",
            "recordRetentionDays",
            "90",
            "removalPolicy",
            "destroy",
            "secretsRevision",
            "2",
            "secretsExtensionLayerArn",
            EXTENSION_LAYER,
            "alarmEmail",
            ALARM_EMAIL,
            "providers",
            "fashn, metahuman",
            "apiThrottleRate",
            "20",
            "apiThrottleBurst",
            "40",
            "apiKeys",
            API_KEYS);
    /** The JVM variant with a JWT authorizer instead of API keys, and a tenant claim other than sub. */
    static final Map<String, Object> JWT = Map.of(
            "jwtIssuer", JWT_ISSUER, "jwtAudience", String.join(",", JWT_AUDIENCE), "jwtTenantClaim", "custom:tenant");

    static final String BUCKET_NAME = "acme-visage-photos";
    static final String KMS_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    /** A bucket of one's own, encrypted with one's own KMS key. */
    static final Map<String, Object> OWN_BUCKET =
            Map.of("apiKeys", API_KEYS, "bucketName", BUCKET_NAME, "kmsKeyArn", KMS_KEY_ARN);

    static final String DOMAIN_NAME = "visage.example.com";
    static final String CERTIFICATE_ARN =
            "arn:aws:acm:eu-west-1:123456789012:certificate/abcd1234-ab12-cd34-ef56-abcdef123456";
    /** arm64, one memory size, a custom domain, and every app setting given ({@link #APP_SETTINGS}). */
    static final Map<String, Object> ARM64 = arm64();
    /** The context of every variant the tests synthesize. */
    static final List<Map<String, Object>> VARIANTS = List.of(JVM, NATIVE, OVERRIDDEN, JWT, OWN_BUCKET, ARM64);

    private Synth() {}

    /** A value of its kind for every setting, none the app's default; the TTL three days (a 4-day backstop). */
    static Map<String, String> appSettings() {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (AppSettings.Setting s : AppSettings.SETTINGS) {
            values.put(
                    s.property(),
                    switch (s.kind()) {
                        case DURATION -> s.property().equals("visage.ttl") ? "P3D" : "PT3M";
                        case BYTES -> "2097152";
                        case COUNT -> "3";
                        case BASE_URL -> "https://emulator.example.com:8443";
                        case ORIGINS -> "https://cdn.example.com,http://10.0.0.7:9000";
                        case PROVIDER_LIST -> "fashn,local";
                        case LOG_FORMAT -> "text";
                        case QUOTA -> "40";
                    });
        }
        return values;
    }

    private static Map<String, Object> arm64() {
        Map<String, Object> context = new HashMap<>();
        appSettings().forEach((property, value) -> context.put(AppSettings.contextKeyOf(property), value));
        context.put("apiKeys", API_KEYS);
        context.put("architecture", "arm64");
        context.put("memorySize", "2048");
        context.put("domainName", DOMAIN_NAME);
        context.put("certificateArn", CERTIFICATE_ARN);
        return Map.copyOf(context);
    }

    static synchronized Synthesized jvm() {
        if (jvm == null) {
            jvm = synth(JVM);
        }
        return jvm;
    }

    static synchronized Synthesized nativeVariant() {
        if (nativeVariant == null) {
            nativeVariant = synth(NATIVE);
        }
        return nativeVariant;
    }

    static synchronized Synthesized overridden() {
        if (overridden == null) {
            overridden = synth(OVERRIDDEN);
        }
        return overridden;
    }

    static synchronized Synthesized jwt() {
        if (jwt == null) {
            jwt = synth(JWT);
        }
        return jwt;
    }

    static synchronized Synthesized ownBucket() {
        if (ownBucket == null) {
            ownBucket = synth(OWN_BUCKET);
        }
        return ownBucket;
    }

    static synchronized Synthesized arm64Variant() {
        if (arm64 == null) {
            arm64 = synth(ARM64);
        }
        return arm64;
    }

    /** Context values as key, value, key, value…: more than Map.of takes. */
    private static Map<String, Object> pairs(String... keysAndValues) {
        Map<String, Object> context = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            context.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Map.copyOf(context);
    }

    static String sha256Hex(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh synth with these context values (artifacts default to the placeholders). */
    static Synthesized synth(Map<String, Object> context) {
        App app = app(context);
        VisageStack stack = new VisageStack(app, "Visage", VisageProps.fromContext(app.getNode(), INFRA_DIR));
        Template template = Template.fromStack(stack);
        return new Synthesized(template, Annotations.fromStack(stack), template.toJSON());
    }

    /** An app with the placeholder artifacts and these context values on top. */
    static App app(Map<String, Object> context) {
        Map<String, Object> all = new HashMap<>();
        all.put("jvmArtifact", jvmPlaceholder().toString());
        all.put("nativeArtifact", nativePlaceholder().toString());
        all.putAll(context);
        return new App(AppProps.builder().context(all).build());
    }

    static synchronized Path jvmPlaceholder() {
        return zip(PLACEHOLDERS.resolve("function.zip"), "PLACEHOLDER.txt", "JVM placeholder\n");
    }

    static synchronized Path nativePlaceholder() {
        return zip(PLACEHOLDERS.resolve("native/function.zip"), "bootstrap", "#!/bin/sh\nexit 1\n");
    }

    static Path zip(Path zip, String entry, String content) {
        if (Files.isRegularFile(zip)) {
            return zip;
        }
        try {
            Files.createDirectories(zip.getParent());
            try (OutputStream out = Files.newOutputStream(zip);
                    ZipOutputStream z = new ZipOutputStream(out)) {
                z.putNextEntry(new ZipEntry(entry));
                z.write(content.getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The logical id of the Lambda function exporting {@code export}; fails unless exactly one does. */
    static String functionId(Synthesized s, String export) {
        List<String> ids = s.resources().entrySet().stream()
                .filter(e ->
                        "AWS::Lambda::Function".equals(Json.map(e.getValue()).get("Type")))
                .filter(e -> export.equals(env(Json.map(e.getValue())).get("QUARKUS_FUNQY_EXPORT")))
                .map(Map.Entry::getKey)
                .toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one function exporting " + export + ", found " + ids);
        }
        return ids.getFirst();
    }

    static Map<String, Object> env(Map<String, Object> functionResource) {
        Object env = Json.path(functionResource, "Properties", "Environment", "Variables");
        return env == null ? Map.of() : Json.map(env);
    }

    /** The logical id of the {@code live} alias of a function. */
    static String aliasId(Synthesized s, String functionId) {
        List<String> ids = s.resources().entrySet().stream()
                .filter(e -> "AWS::Lambda::Alias".equals(Json.map(e.getValue()).get("Type")))
                .filter(e -> Map.of("Ref", functionId)
                        .equals(Json.path(Json.map(e.getValue()), "Properties", "FunctionName")))
                .map(Map.Entry::getKey)
                .toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one alias of " + functionId + ", found " + ids);
        }
        return ids.getFirst();
    }

    /** The work queue: the one SQS queue with a redrive policy. */
    static String workQueueId(Synthesized s) {
        List<String> ids = s.resources().entrySet().stream()
                .filter(e -> "AWS::SQS::Queue".equals(Json.map(e.getValue()).get("Type")))
                .filter(e -> Json.path(Json.map(e.getValue()), "Properties", "RedrivePolicy") != null)
                .map(Map.Entry::getKey)
                .toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one queue with a redrive policy, found " + ids);
        }
        return ids.getFirst();
    }

    /** The work queue's dead-letter queue: the one its redrive policy names. */
    static String deadLetterQueueId(Synthesized s) {
        Object target = Json.path(
                Json.map(s.resources().get(workQueueId(s))), "Properties", "RedrivePolicy", "deadLetterTargetArn");
        return (String) Json.list(Json.map(target).get("Fn::GetAtt")).getFirst();
    }

    /** The logical id of the queue a function's {@code live} alias sends its failed async invocations to. */
    static String failureQueueId(Synthesized s, String export) {
        Map<String, Object> config = Json.map(s.resources().get(eventInvokeConfigId(s, export)));
        Object destination = Json.path(config, "Properties", "DestinationConfig", "OnFailure", "Destination");
        if (destination == null) {
            throw new AssertionError("no failure destination for " + export + ": " + config);
        }
        return (String) Json.list(Json.map(destination).get("Fn::GetAtt")).getFirst();
    }

    /** The one event invoke configuration of a function (its alias's: the triggers invoke the alias). */
    static String eventInvokeConfigId(Synthesized s, String export) {
        String function = functionId(s, export);
        List<String> ids = s.resources().entrySet().stream()
                .filter(e -> "AWS::Lambda::EventInvokeConfig"
                        .equals(Json.map(e.getValue()).get("Type")))
                .filter(e ->
                        Map.of("Ref", function).equals(Json.path(Json.map(e.getValue()), "Properties", "FunctionName")))
                .map(Map.Entry::getKey)
                .toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one event invoke configuration of " + export + ", found " + ids);
        }
        return ids.getFirst();
    }

    static String logicalIdOfType(Synthesized s, String type) {
        List<String> ids = s.resources().entrySet().stream()
                .filter(e -> type.equals(Json.map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey)
                .toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one " + type + ", found " + ids);
        }
        return ids.getFirst();
    }
}
