package app.visage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of Visage, under {@code visage.*} (environment: {@code VISAGE_*}). */
@ConfigMapping(prefix = "visage")
public interface VisageConfig {

    /** The bucket holding job records, inputs and outputs. */
    @WithDefault("visage")
    String bucket();

    /** Where clients and providers reach the HTTP API; provider webhook URLs are built on it. */
    @WithDefault("http://127.0.0.1:8080")
    String publicBaseUrl();

    /** How long inputs and outputs are kept after a job is created. */
    @WithDefault("PT24H")
    Duration ttl();

    /** How long a presigned upload URL from POST /v1/uploads stays valid. */
    @WithDefault("PT15M")
    Duration uploadUrlTtl();

    /** Longest validity of a presigned output URL in a job view (never past the job's expiry). */
    @WithDefault("PT1H")
    Duration outputUrlTtl();

    /**
     * How long a job's record is kept (its objects go with its TTL): the bucket lifecycle deletes records this
     * old, and local mode does the same.
     */
    @WithDefault("P30D")
    Duration recordRetention();

    /** A job still processing this long after it started fails with provider_timeout. */
    @WithDefault("PT10M")
    Duration processingDeadline();

    /** First wait before asking a provider about a job again; it doubles up to a minute. */
    @WithDefault("PT5S")
    Duration pollInterval();

    /** First wait before re-sending a start call that took nothing (5xx, no connection); it doubles. */
    @WithDefault("PT2S")
    Duration providerRetryDelay();

    /**
     * Build time: whether the local engine (ONNX Runtime, AWT) is built in; where it is, local jobs start inline
     * ({@link app.visage.jobs.port.Provider#startsInline}). The native build sets it false: its submit leaves
     * local jobs queued for the worker, which runs on the JVM with the engine. Reading it at run time tells
     * nothing.
     */
    @WithDefault("true")
    boolean localEngine();

    /** Largest accepted photo, in bytes. */
    @WithDefault("10485760")
    long maxImageBytes();

    /** Default provider per operation (keys: head_shot, face_gen, face_to_model, face_recon). */
    Map<String, String> defaultProvider();

    /** Largest output Visage copies from a provider into the bucket, in bytes. */
    @WithDefault("26214400")
    long maxOutputBytes();

    S3 s3();

    Queue queue();

    Egress egress();

    Secrets secrets();

    Webhooks webhooks();

    Auth auth();

    /** Who may call the API; with neither set the API is open, which only local mode allows. */
    interface Auth {
        /** {@code tenant=<sha256 hex of the key>} entries (env VISAGE_AUTH_API_KEYS, comma-separated). */
        Optional<List<String>> apiKeys();

        /** Behind an API Gateway JWT authorizer: the verified claim that names the tenant (e.g. sub). */
        Optional<String> jwtTenantClaim();
    }

    Quotas quotas();

    /**
     * Per-tenant limits on POST /v1/jobs and POST /v1/uploads, answered 429 rate_limited with Retry-After. Empty
     * (the default): no limit, and no request to the bucket for it. A tenant's own entry under {@code tenants}
     * overrides either limit for that tenant (the tenant as an API key or a JWT claim names it).
     */
    interface Quotas {
        /** Jobs of one tenant not yet ended (queued, processing) at once. */
        Optional<Integer> maxConcurrentJobs();

        /** Jobs one tenant may create per UTC day. */
        Optional<Integer> maxJobsPerDay();

        /** Overrides by tenant id: {@code visage.quotas.tenants."<tenant>".max-concurrent-jobs}. */
        Map<String, TenantQuota> tenants();
    }

    interface TenantQuota {
        Optional<Integer> maxConcurrentJobs();

        Optional<Integer> maxJobsPerDay();
    }

    Log log();

    interface Log {
        /**
         * {@code json}: one JSON object per line (timestamp, level, logger, message, thread, MDC fields such
         * as jobId and requestId, exception); {@code text}: human-readable lines. Read by
         * {@link app.visage.logs.LogLines}, which renders every line.
         */
        @WithDefault("json")
        app.visage.logs.LogFormat format();
    }

    interface Webhooks {
        /** The {@code whsec_…} secret client webhooks are signed with (client webhooks are the hardening issue's). */
        Optional<String> secret();
    }

    /** Where secrets come from in AWS; read by {@link SecretsConfigSourceFactory} before anything else. */
    interface Secrets {
        /** The Secrets Manager secret holding provider keys (env VISAGE_SECRETS_ARN); empty: none. */
        Optional<String> arn();

        /** The Parameters and Secrets Lambda Extension's port (its own default, 2773, when empty). */
        Optional<Integer> extensionPort();

        /**
         * How old the secret's values may be where they are used ({@link Secrets}: provider keys, API key hashes
         * the secret adds): a rotated value is in use this long after it is put, without a redeploy.
         */
        @WithDefault("PT5M")
        Duration refresh();
    }

    Providers providers();

    /** Each provider's endpoint, key and limits; defaults for the real services are in application.properties. */
    interface Providers {
        Provider modelslab();

        @WithName("modelslab-enterprise")
        Provider modelslabEnterprise();

        @WithName("modelslab-face-gen")
        Provider modelslabFaceGen();

        Provider fashn();

        Provider metahuman();
    }

    interface Provider {
        /** Scheme and host (and port); the adapter appends the documented paths. */
        URI baseUrl();

        /** The API key (MetaHuman: its token). Without one the provider is unavailable. */
        Optional<String> apiKey();

        @WithDefault("PT5S")
        Duration connectTimeout();

        /**
         * Longest wait for one answer. The worker makes every call to a remote provider (a start, a poll, a
         * webhook's confirmation), so a start call's wait counts against the worker's 120 s timeout.
         */
        @WithDefault("PT20S")
        Duration timeout();

        /** Jobs at this provider at once; more wait queued. 0: no limit. */
        @WithDefault("0")
        int maxInFlight();

        /**
         * Other origins its output URLs are trusted from as its base URL is, private addresses included: a
         * dedicated server's own storage on a private network (or a test's stand-in for a provider's CDN).
         */
        Optional<List<URI>> outputOrigins();
    }

    /** The SQS work queue the worker consumes; its client's region is the S3 client's ({@link AwsRegion}). */
    interface Queue {
        /** The work queue's URL (set by the deployment); local mode and tests use their embedded queue's. */
        Optional<String> url();

        /** Endpoint override (an SQS-compatible service); empty means AWS's regional endpoint. */
        Optional<String> endpoint();
    }

    interface S3 {
        /** Endpoint override (an S3-compatible store); empty means AWS's regional endpoint. */
        Optional<String> endpoint();

        Optional<String> region();

        @WithDefault("false")
        boolean pathStyle();
    }

    interface Egress {
        /** Lets fetches reach loopback and private addresses: local experiments only. */
        @WithDefault("false")
        boolean allowPrivate();

        @WithDefault("PT10S")
        Duration fetchTimeout();
    }
}
