package app.visage.config;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.support.SecretsExtensionServer;
import app.visage.support.TestClock;
import io.smallrye.config.ConfigValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rotated secret is used without a redeploy: {@link Secrets} reads it again through the extension (here a
 * loopback server answering as it does) once its copy is older than the refresh period, and only then.
 */
class SecretsRefreshTest {
    private static final String FASHN = "visage.providers.fashn.api-key";
    private static final Duration REFRESH = Duration.ofMinutes(5);

    private final SecretsExtensionServer extension = new SecretsExtensionServer();
    private final TestClock clock = new TestClock();
    /** The configuration's values by property, with their source's rank. */
    private final Map<String, ConfigValue> configured = new HashMap<>();

    private final Secrets secrets =
            new Secrets(Optional.of(SecretsExtensionServer.ARN), extension.port(), REFRESH, clock, configured::get);

    @AfterEach
    void stop() {
        extension.close();
    }

    @Test
    void aRotatedKeyIsUsedOnceTheCopyIsOlderThanTheRefreshPeriod() {
        extension.put(Map.of(FASHN, "fa-key-1"));
        assertThat(secrets.current(FASHN)).contains("fa-key-1");
        extension.put(Map.of(FASHN, "fa-key-2"));
        clock.advance(REFRESH.minusSeconds(1));
        assertThat(secrets.current(FASHN)).as("within the period: the copy").contains("fa-key-1");
        assertThat(extension.reads()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(secrets.current(FASHN)).contains("fa-key-2");
        assertThat(extension.reads()).isEqualTo(2);
        // Removed from the secret: gone, though start-up read it from there.
        configured.put(FASHN, value(FASHN, "fa-key-1", SecretsConfigSourceFactory.ORDINAL));
        extension.put(Map.of());
        clock.advance(REFRESH);
        assertThat(secrets.current(FASHN)).isEmpty();
    }

    @Test
    void anExtensionThatDoesNotAnswerKeepsTheLastValuesAndIsAskedAgainAPeriodLater() {
        extension.put(Map.of(FASHN, "fa-key-1"));
        assertThat(secrets.current(FASHN)).contains("fa-key-1");
        extension.down(true);
        clock.advance(REFRESH);
        assertThat(secrets.current(FASHN)).contains("fa-key-1");
        assertThat(secrets.current(FASHN)).contains("fa-key-1");
        assertThat(extension.reads()).as("one failed read per period").isEqualTo(2);
        extension.down(false);
        extension.put(Map.of(FASHN, "fa-key-2"));
        clock.advance(REFRESH);
        assertThat(secrets.current(FASHN)).contains("fa-key-2");
    }

    @Test
    void beforeAnyReadSucceededStartUpsValueServes() {
        extension.down(true);
        configured.put(FASHN, value(FASHN, "fa-from-start-up", SecretsConfigSourceFactory.ORDINAL));
        assertThat(secrets.current(FASHN)).contains("fa-from-start-up");
        assertThat(secrets.inSecret(FASHN)).contains("fa-from-start-up");
    }

    /** The order of sources stays the configuration's: an environment variable wins, application.properties loses. */
    @Test
    void theEnvironmentStillRanksAboveTheSecret() {
        extension.put(Map.of(FASHN, "fa-secret", "visage.providers.metahuman.api-key", "mh-secret"));
        configured.put(FASHN, value(FASHN, "fa-env", 300));
        configured.put("visage.providers.metahuman.api-key", value("", "mh-properties", 250));
        configured.put("visage.providers.modelslab.api-key", value("", "ml-properties", 250));
        assertThat(secrets.current(FASHN)).contains("fa-env");
        assertThat(secrets.current("visage.providers.metahuman.api-key")).contains("mh-secret");
        assertThat(secrets.current("visage.providers.modelslab.api-key")).contains("ml-properties");
        assertThat(secrets.inSecret(FASHN)).contains("fa-secret");
        assertThat(secrets.outsideSecret(FASHN)).contains("fa-env");
    }

    @Test
    void withoutASecretEverythingIsTheConfigurations() {
        configured.put(FASHN, value(FASHN, "fa-env", 300));
        assertThat(Secrets.NONE.current(FASHN)).isEmpty();
        Secrets none = new Secrets(Optional.empty(), extension.port(), REFRESH, clock, configured::get);
        assertThat(none.current(FASHN)).contains("fa-env");
        assertThat(none.inSecret(FASHN)).isEmpty();
        assertThat(extension.reads()).isZero();
    }

    private static ConfigValue value(String name, String value, int ordinal) {
        return ConfigValue.builder()
                .withName(name)
                .withValue(value)
                .withConfigSourceOrdinal(ordinal)
                .build();
    }
}
