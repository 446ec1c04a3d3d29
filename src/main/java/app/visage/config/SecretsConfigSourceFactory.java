package app.visage.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
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

    private static final int ATTEMPTS = 6;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Optional<String> arn = value(context, "visage.secrets.arn");
        if (arn.isEmpty()) {
            return List.of();
        }
        int port = SecretsExtension.port(
                value(context, "visage.secrets.extension-port").map(Integer::parseInt));
        return List.of(new PropertiesConfigSource(readWhenReady(arn.get(), port), "visage-secrets", ORDINAL));
    }

    /** The extension starts beside the function and may not serve for a moment: a few tries, then give up. */
    private static Map<String, String> readWhenReady(String arn, int port) {
        for (int attempt = 1; ; attempt++) {
            try {
                return SecretsExtension.read(arn, port);
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

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank()
                ? Optional.empty()
                : Optional.of(value.getValue());
    }
}
