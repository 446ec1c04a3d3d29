package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.port.Provider;
import java.net.URI;
import java.util.List;
import java.util.Map;
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

    @Test
    void aJobAtAProviderOnTheInternetGetsNoWebhookUrlWhileTheBaseUrlIsLoopback() {
        Provider fashn = new Core.ScriptedProvider("fashn", 0, false) {
            @Override
            public List<URI> origins() {
                return List.of(URI.create("https://api.fashn.ai"));
            }
        };
        Job job = Job.builder().id(JobId.random()).provider("fashn").build();
        ProviderWebhooks local = webhooks("http://127.0.0.1:8080", fashn);
        ProviderWebhooks deployed = webhooks("https://abc.execute-api.eu-west-1.amazonaws.com/", fashn);

        assertThat(local.url(job, fashn, "t0ken")).isEmpty();
        assertThat(local.polledOnly()).as("named at start-up").containsExactly("fashn");
        assertThat(deployed.polledOnly()).isEmpty();
        assertThat(deployed.url(job, fashn, "t0ken"))
                .contains(URI.create("https://abc.execute-api.eu-west-1.amazonaws.com/v1/provider-webhooks/fashn/"
                        + job.id() + "?token=t0ken"));
    }

    private static ProviderWebhooks webhooks(String publicBaseUrl, Provider provider) {
        VisageConfig config = Core.config(Map.of("visage.public-base-url", publicBaseUrl));
        return new ProviderWebhooks(config, new Providers(List.of(provider), config));
    }
}
