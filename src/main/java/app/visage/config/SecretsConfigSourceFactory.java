package app.visage.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Provider keys and other secrets from AWS Secrets Manager, never from plain environment values:
 * when {@code visage.secrets.arn} is set, the secret (a JSON object of property names to values,
 * e.g. {@code "visage.providers.fashn.api-key"}) is read once at start-up through the AWS
 * Parameters and Secrets Lambda Extension on localhost, and becomes a config source ranked just
 * below environment variables. A secret that can't be read stops the start: running without the
 * keys would only fail later, job by job.
 */
public class SecretsConfigSourceFactory implements ConfigSourceFactory {
    /** Above application.properties (250), below environment variables (300). */
    static final int ORDINAL = 270;

    private static final int DEFAULT_PORT = 2773;
    private static final int ATTEMPTS = 6;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Optional<String> arn = value(context, "visage.secrets.arn");
        if (arn.isEmpty()) {
            return List.of();
        }
        int port = value(context, "visage.secrets.extension-port")
                .map(Integer::parseInt)
                .or(() -> Optional.ofNullable(System.getenv("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"))
                        .map(Integer::parseInt))
                .orElse(DEFAULT_PORT);
        return List.of(new PropertiesConfigSource(readWhenReady(arn.get(), port), "visage-secrets", ORDINAL));
    }

    /** The extension starts beside the function and may not serve for a moment: a few tries, then give up. */
    private static Map<String, String> readWhenReady(String arn, int port) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read(arn, port);
            } catch (IllegalStateException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static Map<String, String> read(String arn, int port) {
        URI uri = URI.create("http://localhost:" + port + "/secretsmanager/get?secretId="
                + URLEncoder.encode(arn, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(5))
                .header(
                        "X-Aws-Parameters-Secrets-Token",
                        Optional.ofNullable(System.getenv("AWS_SESSION_TOKEN")).orElse(""))
                .GET()
                .build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "the secret " + arn + " could not be read: HTTP " + response.statusCode());
            }
            JsonNode secret = new ObjectMapper()
                    .readTree(new ObjectMapper()
                            .readTree(response.body())
                            .path("SecretString")
                            .asText("{}"));
            Map<String, String> values = new HashMap<>();
            secret.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
            return values;
        } catch (IOException e) {
            // Never the body: it holds the secret.
            throw new IllegalStateException(
                    "the secret " + arn + " could not be read: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the secret " + arn);
        }
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank()
                ? Optional.empty()
                : Optional.of(value.getValue());
    }
}
