package app.visage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.config.Secrets;
import app.visage.jobs.model.Tenant;
import app.visage.support.KeyedApi;
import app.visage.support.SecretsExtensionServer;
import app.visage.support.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * API keys added and revoked in the secret without a redeploy: the deployment's entries stay, the secret's are
 * read again as {@link Secrets} refreshes (the extension here a loopback server).
 */
class ApiKeysRotationTest {
    private static final Duration REFRESH = Duration.ofMinutes(5);
    private static final String PROPERTY = "visage.auth.api-keys";

    private final SecretsExtensionServer extension = new SecretsExtensionServer();
    private final TestClock clock = new TestClock();
    private final Secrets secrets =
            new Secrets(Optional.of(SecretsExtensionServer.ARN), extension.port(), REFRESH, clock, p -> null);
    private final ApiKeys keys = new ApiKeys(List.of("acme=" + KeyedApi.sha256Hex("acme-key")), secrets);

    @AfterEach
    void stop() {
        extension.close();
    }

    @Test
    void aKeyPutInTheSecretWorksAfterTheRefreshAndARevokedOneStops() {
        assertThat(keys.tenantOf("beta-key")).isEmpty();
        extension.put(Map.of(PROPERTY, "beta=" + KeyedApi.sha256Hex("beta-key")));
        clock.advance(REFRESH);
        assertThat(keys.tenantOf("beta-key")).contains(new Tenant("beta"));
        assertThat(keys.tenantOf("acme-key"))
                .as("the deployment's entries stay")
                .contains(new Tenant("acme"));

        extension.put(Map.of(PROPERTY, "beta=" + KeyedApi.sha256Hex("beta-key-2")));
        clock.advance(REFRESH);
        assertThat(keys.tenantOf("beta-key")).isEmpty();
        assertThat(keys.tenantOf("beta-key-2")).contains(new Tenant("beta"));
    }

    /** A malformed entry put later cannot lock everyone out, nor leave the API open: the previous entries stay. */
    @Test
    void aMalformedEntryPutLaterKeepsThePreviousOnes() {
        extension.put(Map.of(PROPERTY, "beta=" + KeyedApi.sha256Hex("beta-key")));
        clock.advance(REFRESH);
        assertThat(keys.tenantOf("beta-key")).contains(new Tenant("beta"));
        extension.put(Map.of(PROPERTY, "beta=beta-key"));
        clock.advance(REFRESH);
        assertThat(keys.tenantOf("beta-key")).contains(new Tenant("beta"));
        assertThat(keys.configured()).isTrue();
    }
}
