package app.visage.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The AWS Parameters and Secrets Lambda Extension on localhost: GetSecretValue of one secret, as a map. */
final class SecretsExtension {
    private static final int DEFAULT_PORT = 2773;

    private SecretsExtension() {}

    /** The configured port, else the extension's own setting, else its default. */
    static int port(Optional<Integer> configured) {
        return configured
                .or(() -> Optional.ofNullable(System.getenv("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"))
                        .map(Integer::parseInt))
                .orElse(DEFAULT_PORT);
    }

    /** The secret's JSON object of property → value; an IllegalStateException names what failed, never a value. */
    static Map<String, String> read(String arn, int port) {
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
}
