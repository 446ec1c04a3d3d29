package app.visage.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.config.Secrets;
import app.visage.jobs.port.ClientWebhookSender.Undeliverable;
import app.visage.support.SecretsExtensionServer;
import app.visage.support.StandaloneConfig;
import app.visage.support.TestClock;
import io.quarkus.runtime.Startup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code visage.webhooks.secret} as one or two secrets, read once at start-up (a malformed one stops it), and a
 * receiver's {@code Retry-After}, read.
 */
class WebhookSecretsTest {
    static final String ONE = "whsec_b25lIHNlY3JldCBvZiAyNCBieXRlcyEh"; // "one secret of 24 bytes!!"
    static final String TWO = "whsec_dHdvIHNlY3JldHMgb2YgMjQgYnl0ZXMh"; // "two secrets of 24 bytes!"

    @Test
    void oneOrTwoSecretsAreReadTheFirstFirst() {
        assertThat(secrets(ONE).keys())
                .extracting(k -> new String(k, StandardCharsets.US_ASCII))
                .containsExactly("one secret of 24 bytes!!");
        assertThat(secrets(TWO + " , " + ONE).keys())
                .extracting(k -> new String(k, StandardCharsets.US_ASCII))
                .containsExactly("two secrets of 24 bytes!", "one secret of 24 bytes!!");
    }

    @Test
    void aSecretListThatCannotSignFailsTheStartWithoutQuotingIt() {
        assertThatThrownBy(() -> secrets(ONE + "," + TWO + "," + ONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at most 2")
                .hasMessageNotContaining(ONE);
        assertThatThrownBy(() -> secrets(ONE + ",whsec_not*base64"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret 2")
                .hasMessageNotContaining("not*base64")
                .hasMessageNotContaining(ONE);
        assertThatThrownBy(() -> secrets(ONE + ","))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret 2");
    }

    @Test
    void noSecretStartsAndFailsEachDelivery() {
        for (WebhookSecrets none :
                List.of(secrets(" "), new WebhookSecrets(StandaloneConfig.visage(Map.of()), Secrets.NONE))) {
            assertThatThrownBy(none::keys)
                    .isInstanceOf(Undeliverable.class)
                    .hasMessage("no visage.webhooks.secret is configured");
        }
    }

    @Test
    void theSecretIsReadAtStartUp() {
        assertThat(WebhookSecrets.class).hasAnnotation(Startup.class);
    }

    /** The bean as start-up builds it, from the real configuration mapping. */
    private static WebhookSecrets secrets(String configured) {
        return new WebhookSecrets(StandaloneConfig.visage(Map.of("visage.webhooks.secret", configured)), Secrets.NONE);
    }

    /** Held in the deployment's secret, a rotation is read again after the refresh period, without a redeploy. */
    @Test
    void aRotationInTheSecretIsUsedWithoutARedeployAndABadOneKeepsTheKeysBefore() {
        Duration refresh = Duration.ofMinutes(5);
        TestClock clock = new TestClock();
        try (SecretsExtensionServer extension = new SecretsExtensionServer()) {
            extension.put(Map.of("visage.webhooks.secret", ONE));
            Secrets deployed = new Secrets(
                    Optional.of(SecretsExtensionServer.ARN), extension.port(), refresh, clock, property -> null);
            WebhookSecrets webhooks =
                    new WebhookSecrets(StandaloneConfig.visage(Map.of("visage.webhooks.secret", ONE)), deployed);
            assertThat(webhooks.keys()).extracting(String::new).containsExactly("one secret of 24 bytes!!");

            extension.put(Map.of("visage.webhooks.secret", TWO + "," + ONE));
            clock.advance(refresh);
            assertThat(webhooks.keys())
                    .extracting(String::new)
                    .containsExactly("two secrets of 24 bytes!", "one secret of 24 bytes!!");

            extension.put(Map.of("visage.webhooks.secret", TWO + ",whsec_not*base64"));
            clock.advance(refresh);
            assertThat(webhooks.keys())
                    .as("a malformed rotation keeps what was read before")
                    .extracting(String::new)
                    .containsExactly("two secrets of 24 bytes!", "one secret of 24 bytes!!");

            extension.put(Map.of("visage.webhooks.secret", TWO));
            clock.advance(refresh);
            assertThat(webhooks.keys()).extracting(String::new).containsExactly("two secrets of 24 bytes!");
        }
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");
        assertThat(RetryAfter.parse("120", now)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Fri, 04 Dec 2026 11:30:00 GMT", now)).contains(Duration.ofMinutes(90));
        assertThat(RetryAfter.parse("Fri, 04 Dec 2026 09:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("99999999999999999999999", now).orElseThrow())
                .isGreaterThan(Duration.ofDays(365));
        assertThat(RetryAfter.parse("-5", now)).isEmpty();
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
    }
}
