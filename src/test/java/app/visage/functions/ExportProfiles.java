package app.visage.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** One exported function per Lambda: each profile exports one, as QUARKUS_FUNQY_EXPORT does in AWS. */
final class ExportProfiles {
    private ExportProfiles() {
    }

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

    public static class Submit extends Export {
        public Submit() {
            super("submit");
        }
    }

    public static class Status extends Export {
        public Status() {
            super("status");
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

    public static class Cleanup extends Export {
        public Cleanup() {
            super("cleanup");
        }
    }
}
