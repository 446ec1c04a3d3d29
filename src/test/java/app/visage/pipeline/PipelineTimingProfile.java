package app.visage.pipeline;

import app.visage.support.ProviderEmulators;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Local mode against the provider emulators with nothing but the work queue to move jobs along: the cleanup timer
 * every 15 minutes (so it never runs during a test) and no status calls, the queue delivered on the wall clock as
 * Lambda's event source mapping would. Provider webhooks reach the API through a {@link WebhookRelay} that times
 * Visage's answers; client webhooks are signed and may go to a loopback receiver.
 */
public class PipelineTimingProfile implements QuarkusTestProfile {
    static final String WEBHOOK_SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("visage pipeline timing test key!".getBytes(StandardCharsets.UTF_8));
    /**
     * Longer than the slow output download of the provider webhook test, so that no poll comes while the webhook's
     * confirmation is still copying the outputs and downloads them a second time.
     */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(10);

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Emulators.class));
    }

    /** The emulators of {@link ProviderEmulators}, with the settings above and the relay in front of the API. */
    public static class Emulators extends ProviderEmulators {
        private static WebhookRelay relay;

        static WebhookRelay relay() {
            return relay;
        }

        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            config.put("visage.local.sweep-interval", "PT15M");
            config.put("visage.poll-interval", POLL_INTERVAL.toString());
            config.put("visage.processing-deadline", "PT2M");
            config.put("visage.providers.fashn.max-in-flight", "1");
            config.put("visage.webhooks.secret", WEBHOOK_SECRET);
            config.put("visage.egress.allow-private", "true"); // the client webhook receiver is on loopback
            relay = WebhookRelay.start(URI.create(config.get("visage.public-base-url")));
            config.put("visage.public-base-url", relay.baseUrl().toString());
            return config;
        }

        @Override
        public void stop() {
            relay.close();
            super.stop();
        }
    }
}
