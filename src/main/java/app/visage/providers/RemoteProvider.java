package app.visage.providers;

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

    protected RemoteProvider(VisageConfig.Provider settings) {
        this.settings = settings;
    }

    /** Names the setting to set, by property and by environment variable. */
    @Override
    public Optional<String> unavailable() {
        if (settings.apiKey().filter(k -> !k.isBlank()).isPresent()) {
            return Optional.empty();
        }
        String property = "visage.providers." + id() + ".api-key";
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

    protected String apiKey() {
        return settings.apiKey().orElse("");
    }
}
