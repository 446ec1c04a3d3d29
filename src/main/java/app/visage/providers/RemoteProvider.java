package app.visage.providers;

import app.visage.config.Secrets;
import app.visage.config.VisageConfig;
import app.visage.jobs.port.Provider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What every paid provider's adapter has: its settings, unavailable without a key, at most
 * {@code max-in-flight} jobs at once, and outputs trusted from its own configured origin.
 */
public abstract class RemoteProvider implements Provider {
    protected final VisageConfig.Provider settings;
    private final Secrets secrets;

    /** {@code secrets}: where the key is read at each use, so a rotated key is used without a redeploy. */
    protected RemoteProvider(VisageConfig.Provider settings, Secrets secrets) {
        this.settings = settings;
        this.secrets = secrets;
    }

    /** Names the setting to set, by property and by environment variable. */
    @Override
    public Optional<String> unavailable() {
        if (!apiKey().isBlank()) {
            return Optional.empty();
        }
        String property = keyProperty();
        return Optional.of("set " + property + " ("
                + property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")");
    }

    @Override
    public int maxInFlight() {
        return settings.maxInFlight();
    }

    /** The configured base URL's scheme, host and port, and the configured output origins. */
    @Override
    public List<URI> origins() {
        List<URI> origins = new ArrayList<>();
        origins.add(originOf(settings.baseUrl()));
        settings.outputOrigins().orElse(List.of()).forEach(o -> origins.add(originOf(o)));
        return List.copyOf(origins);
    }

    private static URI originOf(URI url) {
        return URI.create(url.getScheme() + "://" + url.getRawAuthority());
    }

    /** The key as the secret has it now (without a secret: as configured). */
    protected String apiKey() {
        return (secrets == Secrets.NONE ? settings.apiKey() : secrets.current(keyProperty())).orElse("");
    }

    private String keyProperty() {
        return "visage.providers." + id() + ".api-key";
    }
}
