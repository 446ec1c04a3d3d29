package app.visage.infra;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * The app's {@code visage.*} settings a deployment may set (docs/configuration.md): each becomes the environment
 * variable Quarkus reads it from ({@code visage.providers.fashn.max-in-flight} →
 * {@code VISAGE_PROVIDERS_FASHN_MAX_IN_FLIGHT}) on every function, since every function loads and checks the whole
 * configuration at start-up. Only the values given are set: the rest keep the app's defaults, and Lambda's 4 KB of
 * environment is not spent on them. Each value is checked at synth as the app would check it at start-up (which,
 * under SnapStart, is when a version is published: a bad value would fail the deployment half-way).
 *
 * <p>The context key of a property is its name without {@code visage.}, each {@code -x} written {@code X}:
 * {@code ttl}, {@code uploadUrlTtl}, {@code defaultProvider.face_gen}, {@code providers.fashn.maxInFlight},
 * {@code log.format}, {@code egress.fetchTimeout}.
 */
public final class AppSettings {
    /** The remote providers of {@code visage.providers.<id>} (VisageConfig.Providers). */
    public static final List<String> REMOTE_PROVIDERS =
            List.of("modelslab", "modelslab-enterprise", "modelslab-face-gen", "fashn", "metahuman");
    /** The keys of {@code visage.default-provider.<operation>}. */
    public static final List<String> OPERATIONS = List.of("head_shot", "face_gen", "face_to_model", "face_recon");
    /** What a {@code visage.default-provider.*} may name: the engine in the artifact, or a remote provider. */
    public static final List<String> PROVIDERS = providers();

    /** Lambda's limit on a function's environment, names and values together. */
    public static final int LAMBDA_ENVIRONMENT_BYTES = 4096;

    private static final Duration LONGEST = Duration.ofDays(30);

    /** What a value must be. */
    public enum Kind {
        /** An ISO-8601 duration, more than zero, at most 30 days. */
        DURATION,
        /** A whole number of bytes from 1 KiB to 1 GiB. */
        BYTES,
        /** 0 (no limit) to 1000. */
        COUNT,
        /** An http(s) URL of scheme and host (and port). */
        BASE_URL,
        /** {@code scheme://host[:port]} entries, comma-separated. */
        ORIGINS,
        /** Provider ids, comma-separated: an order of preference. */
        PROVIDER_LIST,
        /** {@code json} or {@code text}. */
        LOG_FORMAT,
        /** A tenant's limit, 0 (refuse every new job) to 1,000,000. */
        QUOTA
    }

    /** One property, its context key and what its value must be. */
    public record Setting(String property, Kind kind) {
        public String contextKey() {
            return contextKeyOf(property);
        }

        public String environmentVariable() {
            return environmentVariableOf(property);
        }
    }

    /** Every setting a deployment may set, in docs/configuration.md's order. */
    public static final List<Setting> SETTINGS = settings();

    /**
     * The properties of docs/configuration.md no context key sets, each with why. {@code <id>} and
     * {@code <operation>} stand for each provider and operation; {@code visage.local.*} is local mode's alone.
     */
    public static final Map<String, String> NOT_SET_BY_CONTEXT = notSetByContext();

    private AppSettings() {}

    public static String contextKeyOf(String property) {
        Matcher m = Pattern.compile("-([a-z])").matcher(property.substring("visage.".length()));
        StringBuilder key = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(key, m.group(1).toUpperCase(Locale.ROOT));
        }
        return m.appendTail(key).toString();
    }

    /** As SmallRye Config maps a property to its environment variable: upper case, every other character '_'. */
    public static String environmentVariableOf(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The settings given as context values, checked, by property. */
    public static Map<String, String> from(Node node) {
        Map<String, String> given = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            String value = DeploySettings.context(node, s.contextKey(), null);
            if (value != null) {
                given.put(s.property(), value);
            }
        }
        return check(given, "context ");
    }

    /**
     * Values by property name (a construct's props, or {@link #from}'s), checked and written as the app reads
     * them; an unknown property is refused, as the app refuses an unknown {@code visage.*} key.
     */
    public static Map<String, String> check(Map<String, String> byProperty, String source) {
        Map<String, Setting> known = new LinkedHashMap<>();
        SETTINGS.forEach(s -> known.put(s.property(), s));
        Map<String, String> checked = new TreeMap<>();
        byProperty.forEach((property, value) -> {
            Setting s = known.get(property);
            if (s == null) {
                throw new IllegalArgumentException(source + property + " is not a setting a deployment takes"
                        + (NOT_SET_BY_CONTEXT.containsKey(property)
                                ? ": " + NOT_SET_BY_CONTEXT.get(property)
                                : " (AppSettings lists them; docs/configuration.md says what each does)"));
            }
            checked.put(property, value(s, value.trim(), source + s.contextKey()));
        });
        return checked;
    }

    /** The environment variables of these checked settings. */
    public static Map<String, String> environment(Map<String, String> checked) {
        Map<String, String> env = new LinkedHashMap<>();
        checked.forEach((property, value) -> env.put(environmentVariableOf(property), value));
        return env;
    }

    /**
     * The Parameters and Secrets extension's cache TTL: the app's {@code visage.secrets.refresh}, at most the
     * extension's 300 s, so a re-read the app makes is not answered from an older cache.
     */
    public static Duration secretsCacheTtl(Map<String, String> checked) {
        Duration refresh = Duration.parse(checked.getOrDefault("visage.secrets.refresh", "PT5M"));
        return refresh.compareTo(Duration.ofSeconds(300)) < 0 ? refresh : Duration.ofSeconds(300);
    }

    /** Days after which the bucket's lifecycle deletes inputs, uploads and outputs: the TTL in days, plus one. */
    public static int backstopDays(Map<String, String> checked) {
        Duration ttl = Duration.parse(checked.getOrDefault("visage.ttl", "PT24H"));
        long days = (ttl.toSeconds() + Duration.ofDays(1).toSeconds() - 1)
                / Duration.ofDays(1).toSeconds();
        return Math.toIntExact(days + 1);
    }

    private static String value(Setting s, String value, String name) {
        return switch (s.kind()) {
            case DURATION -> duration(value, name);
            case BYTES -> String.valueOf(whole(value, name, 1024, 1L << 30));
            case COUNT -> String.valueOf(whole(value, name, 0, 1000));
            case QUOTA -> String.valueOf(whole(value, name, 0, 1_000_000));
            case BASE_URL -> origin(value, value, name, "an http(s) URL of scheme and host, no path");
            case ORIGINS -> {
                List<String> origins = new ArrayList<>();
                for (String one : value.split(",", -1)) {
                    origins.add(origin(one.trim(), value, name, "scheme://host[:port] entries, comma-separated"));
                }
                yield String.join(",", origins);
            }
            case PROVIDER_LIST -> {
                List<String> ids = new ArrayList<>();
                for (String one : value.split(",", -1)) {
                    String id = one.trim();
                    if (!PROVIDERS.contains(id) || ids.contains(id)) {
                        throw new IllegalArgumentException(name + " must be providers of " + PROVIDERS
                                + ", comma-separated, each once, not '" + value + "'");
                    }
                    ids.add(id);
                }
                yield String.join(",", ids);
            }
            case LOG_FORMAT -> {
                if (!value.equals("json") && !value.equals("text")) {
                    throw new IllegalArgumentException(name + " must be 'json' or 'text', not '" + value + "'");
                }
                yield value;
            }
        };
    }

    private static String duration(String value, String name) {
        try {
            Duration d = Duration.parse(value);
            if (!d.isNegative() && !d.isZero() && d.compareTo(LONGEST) <= 0) {
                return value.toUpperCase(Locale.ROOT);
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be an ISO-8601 duration above zero and at most 30 days"
                + " (PT30S, PT15M, PT24H, P2D), not '" + value + "'");
    }

    private static long whole(String value, String name, long min, long max) {
        if (value.matches("\\d{1,10}")) {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }

    private static String origin(String value, String given, String name, String what) {
        try {
            URI uri = new URI(value);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getUserInfo() == null
                    && (uri.getRawPath() == null
                            || uri.getRawPath().isEmpty()
                            || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be " + what + ", not '" + given + "'");
    }

    private static List<String> providers() {
        List<String> all = new ArrayList<>(List.of("local"));
        all.addAll(REMOTE_PROVIDERS);
        return List.copyOf(all);
    }

    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>();
        for (String p : List.of(
                "ttl",
                "upload-url-ttl",
                "output-url-ttl",
                "processing-deadline",
                "poll-interval",
                "provider-retry-delay")) {
            all.add(new Setting("visage." + p, Kind.DURATION));
        }
        all.add(new Setting("visage.max-image-bytes", Kind.BYTES));
        all.add(new Setting("visage.max-output-bytes", Kind.BYTES));
        for (String op : OPERATIONS) {
            all.add(new Setting("visage.default-provider." + op, Kind.PROVIDER_LIST));
        }
        for (String id : REMOTE_PROVIDERS) {
            String p = "visage.providers." + id + ".";
            all.add(new Setting(p + "base-url", Kind.BASE_URL));
            all.add(new Setting(p + "output-origins", Kind.ORIGINS));
            all.add(new Setting(p + "timeout", Kind.DURATION));
            all.add(new Setting(p + "connect-timeout", Kind.DURATION));
            all.add(new Setting(p + "max-in-flight", Kind.COUNT));
        }
        all.add(new Setting("visage.log.format", Kind.LOG_FORMAT));
        all.add(new Setting("visage.egress.fetch-timeout", Kind.DURATION));
        all.add(new Setting("visage.secrets.refresh", Kind.DURATION));
        all.add(new Setting("visage.quotas.max-concurrent-jobs", Kind.QUOTA));
        all.add(new Setting("visage.quotas.max-jobs-per-day", Kind.QUOTA));
        return List.copyOf(all);
    }

    private static Map<String, String> notSetByContext() {
        Map<String, String> why = new LinkedHashMap<>();
        String stack = "the stack sets it itself";
        why.put("visage.bucket", stack + " (VISAGE_BUCKET: the bucket it made or was given)");
        why.put("visage.public-base-url", stack + " (VISAGE_PUBLIC_BASE_URL: the API's URL, or its custom domain)");
        why.put("visage.queue.url", stack + " (VISAGE_QUEUE_URL: its work queue)");
        why.put("visage.secrets.arn", stack + " (VISAGE_SECRETS_ARN: its secret)");
        why.put(
                "visage.secrets.extension-port",
                stack + " (the extension's PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, which the app reads)");
        why.put("visage.auth.api-keys", "the context key apiKeys sets it (ClientAuth checks it)");
        why.put("visage.auth.jwt-tenant-claim", "the context key jwtTenantClaim sets it, with jwtIssuer (ClientAuth)");
        why.put(
                "visage.record-retention",
                "read by local mode alone: on AWS the bucket's lifecycle deletes records (context recordRetentionDays)");
        why.put(
                "visage.providers.<id>.api-key",
                "a provider key is a secret: it goes into the stack's secret, never the environment (SecretsTest)");
        why.put("visage.webhooks.secret", "a secret: the stack generates it in its secret");
        for (String limit : List.of("max-concurrent-jobs", "max-jobs-per-day")) {
            why.put(
                    "visage.quotas.tenants.\"<tenant>\"." + limit,
                    "keyed by tenant names the stack cannot know: put them in the stack's secret (visage.secrets.arn)");
        }
        for (String p : List.of("visage.s3.endpoint", "visage.s3.region", "visage.s3.path-style")) {
            why.put(p, "on AWS the functions use S3's regional endpoint and the function's AWS_REGION");
        }
        why.put("visage.queue.endpoint", "on AWS the functions use SQS's regional endpoint");
        why.put("visage.local-engine", "build time: the native build sets it (docs/native.md)");
        why.put(
                "visage.egress.allow-private",
                "local experiments only: on AWS it would let a client's URL reach the function's own network");
        return java.util.Collections.unmodifiableMap(why);
    }
}
