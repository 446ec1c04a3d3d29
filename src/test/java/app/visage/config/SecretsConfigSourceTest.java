package app.visage.config;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.usecase.Providers;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Provider keys read at start-up from Secrets Manager through the Parameters and Secrets Lambda
 * Extension, here a loopback server answering its documented {@code /secretsmanager/get}.
 */
@QuarkusTest
@TestProfile(SecretsConfigSourceTest.WithSecret.class)
class SecretsConfigSourceTest {
    static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:visage-keys-AbCdEf";
    static final List<String> ASKED = new CopyOnWriteArrayList<>();
    /** Like the real extension just after the function starts: not ready for the first calls. */
    static final AtomicInteger NOT_READY = new AtomicInteger(2);
    /** Set by the rotation test: the secret as put-secret-value leaves it after fashn's key is removed. */
    static volatile boolean fashnKeyRemoved;

    @Inject
    VisageConfig config;

    @Inject
    Providers providers;

    public static class WithSecret implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Extension.class));
        }
    }

    /** The extension: answers GetSecretValue's JSON for our ARN, and only with its token header. */
    public static class Extension implements QuarkusTestResourceLifecycleManager {
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/secretsmanager/get", exchange -> {
                String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
                ASKED.add(query + " token="
                        + (exchange.getRequestHeaders().containsKey("X-aws-parameters-secrets-token")));
                boolean ok = NOT_READY.getAndDecrement() <= 0
                        && query.equals("secretId=" + ARN)
                        && exchange.getRequestHeaders().containsKey("X-aws-parameters-secrets-token");
                byte[] body = ok
                        ? ("{\"ARN\":\"" + ARN + "\",\"Name\":\"visage-keys\",\"SecretString\":"
                                        + "\"{\\\"visage.providers.fashn.api-key"
                                        + (fashnKeyRemoved ? "-gone" : "")
                                        + "\\\":\\\"fa-secret-1\\\","
                                        + "\\\"visage.providers.metahuman.api-key\\\":\\\"mh-secret-2\\\","
                                        + "\\\"visage.webhooks.secret\\\":\\\"whsec_c2VjcmV0LXNpZ25pbmcta2V5LTI0Ynl0ZXM=\\\"}\"}")
                                .getBytes(StandardCharsets.UTF_8)
                        : new byte[0];
                exchange.sendResponseHeaders(ok ? 200 : 400, ok ? body.length : -1);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return Map.of(
                    "visage.secrets.arn",
                    ARN,
                    "visage.secrets.extension-port",
                    String.valueOf(server.getAddress().getPort()),
                    "visage.secrets.refresh",
                    "PT0.2S");
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }

    @Test
    void providerKeysComeFromTheSecret() {
        assertThat(config.providers().fashn().apiKey()).contains("fa-secret-1");
        assertThat(config.providers().metahuman().apiKey()).contains("mh-secret-2");
        assertThat(config.providers().modelslab().apiKey()).isEmpty();
        assertThat(config.webhooks().secret())
                .hasValueSatisfying(v -> assertThat(v).startsWith("whsec_"));
        assertThat(ASKED).hasSizeGreaterThanOrEqualTo(3).contains("secretId=" + ARN + " token=true");
    }

    @Test
    void aProviderWhoseKeyIsInTheSecretIsAvailable() {
        assertThat(providers.get("fashn").unavailable()).isEmpty();
    }

    /** Through the beans the functions use: a key removed from the secret is gone a refresh later, no restart. */
    @Test
    void aKeyRemovedFromTheSecretIsGoneARefreshLater() throws InterruptedException {
        assertThat(providers.get("fashn").unavailable()).isEmpty();
        fashnKeyRemoved = true;
        try {
            long until = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (providers.get("fashn").unavailable().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(providers.get("fashn").unavailable())
                    .hasValueSatisfying(v -> assertThat(v).contains("visage.providers.fashn.api-key"));
            assertThat(config.providers().fashn().apiKey())
                    .as("the start-up configuration is what it was")
                    .contains("fa-secret-1");
        } finally {
            fashnKeyRemoved = false;
            // The other tests see the key again (a refresh later).
            long until = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (providers.get("fashn").unavailable().isPresent() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        }
    }
}
