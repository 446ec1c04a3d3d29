package app.visage.faults;

import app.visage.support.ProviderEmulators;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Local mode against the provider emulators, with S3 behind the fault proxy, no cleanup timer and no queue
 * delivery: the tests run the due work themselves, on a clock they move, so recovery happens when they say.
 */
public class FaultProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FaultyS3.class);
    }

    /** These tests call no function through the Lambda mock event server: a free port, not a shared fixed one. */
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.lambda.mock-event-server.test-port", "0");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Emulators.class));
    }

    /**
     * The emulators of {@link ProviderEmulators}, with the due work left to the tests and a deadline the clock can
     * approach.
     */
    public static class Emulators extends ProviderEmulators {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            config.put("visage.local.sweep-interval", "PT1H");
            config.put("visage.local.queue-events", "false"); // DueWork delivers, by the test clock
            config.put("visage-test.real-queue-delays", "false");
            config.put("visage.processing-deadline", "PT30M");
            return config;
        }
    }
}
