package app.visage.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** One exported function per Lambda: each profile exports one, as QUARKUS_FUNQY_EXPORT does in AWS. */
final class ExportProfiles {
    private ExportProfiles() {
    }

    public static class Submit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "submit");
        }
    }

    public static class Status implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "status");
        }
    }

    public static class Webhook implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "webhook");
        }
    }

    /** The sample event is the only delivery: the embedded S3's own notifications are off. */
    public static class Upload implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "upload", "visage.local.upload-events", "false");
        }
    }

    public static class Cleanup implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "cleanup");
        }
    }
}
