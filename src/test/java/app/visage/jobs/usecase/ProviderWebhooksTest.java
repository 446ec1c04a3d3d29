package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Which webhook URLs a provider is handed: only ones it can reach, judged without any lookup. */
class ProviderWebhooksTest {

    @Test
    void loopbackPrivateAndLocalNamesAreNotPublicOtherNamesAre() {
        for (String host : new String[] {
            "127.0.0.1",
            "localhost",
            "api.localhost",
            "10.1.2.3",
            "172.16.0.9",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "[::1]",
            "[fd00::1]",
            "[fe80::1]",
            ""
        }) {
            assertThat(ProviderWebhooks.isPublic(host)).as(host).isFalse();
        }
        for (String host : new String[] {"visage.example", "abc.execute-api.eu-west-1.amazonaws.com", "8.8.8.8"}) {
            assertThat(ProviderWebhooks.isPublic(host)).as(host).isTrue();
        }
    }

    @Test
    void aProviderOnTheInternetGetsAWebhookOnlyForAPublicBaseUrl() {
        URI provider = URI.create("https://api.fashn.ai");
        assertThat(ProviderWebhooks.reachable(URI.create("http://127.0.0.1:8080"), provider))
                .isFalse();
        assertThat(ProviderWebhooks.reachable(URI.create("http://192.168.1.20:8080"), provider))
                .isFalse();
        assertThat(ProviderWebhooks.reachable(URI.create("https://visage.example"), provider))
                .isTrue();
    }

    @Test
    void aProviderOnLoopbackOrAPrivateNetworkMayCallAPrivateBaseUrl() {
        assertThat(ProviderWebhooks.reachable(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:9")))
                .isTrue();
        assertThat(ProviderWebhooks.reachable(URI.create("http://10.0.0.5"), URI.create("http://10.0.0.7:8000")))
                .isTrue();
    }
}
