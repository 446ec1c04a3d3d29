package app.visage.functions;

import app.visage.support.ProviderEmulators;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Local mode against the provider emulators, deployed like the samples of events/ (their API key), with
 * nothing running on its own: no cleanup timer, no work queue delivered to the worker, no provider polls due and
 * no object-created events from the embedded S3, so every S3 request a test counts is one its own call caused.
 */
public class BudgetProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("visage.auth.api-keys", ExportProfiles.SAMPLE_KEYS, "visage.local.upload-events", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Emulators.class));
    }

    /** The emulators of {@link ProviderEmulators}, with the due work left to the tests. */
    public static class Emulators extends ProviderEmulators {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            config.put("visage.local.sweep-interval", "PT1H");
            config.put("visage.local.queue-events", "false"); // DueWork delivers, by the test clock
            config.put("visage-test.real-queue-delays", "false");
            config.put("visage.poll-interval", "PT1H"); // no poll falls due in a test's due work
            return config;
        }
    }
}
