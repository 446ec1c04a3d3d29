package app.visage.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deployment sets a setting as the environment variable named by upper-casing its property and writing every
 * other character as '_' (infra's AppSettings): that name reaches the mapping, for the names where it is
 * ambiguous too (provider ids and map keys holding '-' or '_').
 */
class DeploymentEnvironmentTest {

    private static String env(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Test
    void theDeploymentsVariablesReachTheMapping() throws IOException {
        Map<String, String> given = Map.of(
                "visage.providers.modelslab-face-gen.max-in-flight", "3",
                "visage.providers.modelslab-enterprise.output-origins", "https://cdn.example.com,http://10.0.0.7:9000",
                "visage.providers.fashn.connect-timeout", "PT3M",
                "visage.providers.metahuman.base-url", "https://emulator.example.com:8443",
                "visage.default-provider.face_gen", "fashn,local",
                "visage.upload-url-ttl", "PT3M",
                "visage.max-output-bytes", "2097152",
                "visage.log.format", "text",
                "visage.egress.fetch-timeout", "PT3M",
                "visage.secrets.refresh", "PT3M");
        Map<String, String> environment = new HashMap<>();
        given.forEach((property, value) -> environment.put(env(property), value));
        VisageConfig config = new SmallRyeConfigBuilder()
                .withMapping(VisageConfig.class)
                .withSources(new PropertiesConfigSource(
                        getClass().getClassLoader().getResource("application.properties"), 250))
                .withSources(new EnvConfigSource(environment, 300))
                .build()
                .getConfigMapping(VisageConfig.class);

        assertThat(config.providers().modelslabFaceGen().maxInFlight()).isEqualTo(3);
        assertThat(config.providers().modelslab().maxInFlight())
                .as("its neighbour untouched")
                .isEqualTo(5);
        assertThat(config.providers().modelslabEnterprise().outputOrigins())
                .contains(List.of(URI.create("https://cdn.example.com"), URI.create("http://10.0.0.7:9000")));
        assertThat(config.providers().fashn().connectTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.providers().metahuman().baseUrl()).isEqualTo(URI.create("https://emulator.example.com:8443"));
        assertThat(config.defaultProvider())
                .containsEntry("face_gen", "fashn,local")
                .containsEntry("head_shot", "local");
        assertThat(config.uploadUrlTtl()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.maxOutputBytes()).isEqualTo(2097152);
        assertThat(config.log().format().name()).isEqualToIgnoringCase("text");
        assertThat(config.egress().fetchTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.secrets().refresh()).isEqualTo(Duration.ofMinutes(3));
    }
}
