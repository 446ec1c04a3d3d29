package app.visage.functions;

import app.visage.jobs.model.Tenant;
import app.visage.support.KeyedApi;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** One exported function per Lambda: each profile exports one, as QUARKUS_FUNQY_EXPORT does in AWS. */
final class ExportProfiles {
    /** The API key the API samples in events/ carry, and the tenant it belongs to. */
    static final String SAMPLE_KEY = "vsk_sample_4f9c2e7a1b3d5f60718293a4b5c6d7e8";

    static final Tenant SAMPLE_TENANT = new Tenant("sample");
    /** The tenant the JWT sample's verified {@code sub} claim names. */
    static final Tenant JWT_TENANT = new Tenant("tenant-sample");

    static final String SAMPLE_KEYS = SAMPLE_TENANT.id() + "=" + KeyedApi.sha256Hex(SAMPLE_KEY);

    private ExportProfiles() {}

    /** Quarkus tells profiles apart by class, so each function gets a one-line subclass. */
    abstract static class Export implements QuarkusTestProfile {
        private final Map<String, String> config = new HashMap<>();

        Export(String function, String... moreConfig) {
            config.put("quarkus.funqy.export", function);
            for (int i = 0; i + 1 < moreConfig.length; i += 2) {
                config.put(moreConfig[i], moreConfig[i + 1]);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return config;
        }
    }

    /** Deployed like the samples: with API keys (a Lambda serving clients refuses to start without). */
    public static class Submit extends Export {
        public Submit() {
            super("submit", "visage.auth.api-keys", SAMPLE_KEYS);
        }
    }

    /** API keys, and behind a JWT authorizer too: the tenant comes from whichever the request carries. */
    public static class Status extends Export {
        public Status() {
            super("status", "visage.auth.api-keys", SAMPLE_KEYS, "visage.auth.jwt-tenant-claim", "sub");
        }
    }

    public static class Webhook extends Export {
        public Webhook() {
            super("webhook");
        }
    }

    /** The sample event is the only delivery: the embedded S3's own notifications are off. */
    public static class Upload extends Export {
        public Upload() {
            super("upload", "visage.local.upload-events", "false");
        }
    }

    public static class Worker extends Export {
        public Worker() {
            super("worker");
        }
    }

    public static class Cleanup extends Export {
        public Cleanup() {
            super("cleanup");
        }
    }
}
