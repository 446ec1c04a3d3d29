package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Job;
import app.visage.jobs.port.Provider;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The webhook URL handed to a provider, only where the provider can reach it: a provider on the internet can
 * never call {@code http://127.0.0.1:8080} (the default) or a private address, so such a job gets no webhook
 * and is polled instead. Start-up says so once per provider.
 */
@ApplicationScoped
public class ProviderWebhooks {
    private static final Logger LOG = Logger.getLogger(ProviderWebhooks.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final VisageConfig config;
    private final Providers providers;

    public ProviderWebhooks(VisageConfig config, Providers providers) {
        this.config = config;
        this.providers = providers;
    }

    void sayWhichArePolled(@Observes StartupEvent started) {
        for (String provider : polledOnly()) {
            LOG.warnf(
                    "%s cannot reach visage.public-base-url (%s): its jobs get no webhook and are polled;"
                            + " set a public base URL for webhooks",
                    provider, config.publicBaseUrl());
        }
    }

    /** The configured providers that would call back but cannot reach the public base URL. */
    List<String> polledOnly() {
        return providers.all().stream()
                .filter(p -> p.unavailable().isEmpty() && !p.origins().isEmpty() && !canReachUs(p))
                .map(Provider::id)
                .toList();
    }

    /** The job's webhook URL carrying {@code token}, or empty when its provider could not reach it. */
    public Optional<URI> url(Job job, Provider provider, String token) {
        if (provider.origins().isEmpty() || !canReachUs(provider)) {
            return Optional.empty();
        }
        String base = config.publicBaseUrl().replaceAll("/+$", "");
        return Optional.of(
                URI.create(base + "/v1/provider-webhooks/" + job.provider() + "/" + job.id() + "?token=" + token));
    }

    /** Whether {@code provider}, on its configured origin, can call the public base URL. */
    private boolean canReachUs(Provider provider) {
        return reachable(URI.create(config.publicBaseUrl()), provider.origins().getFirst());
    }

    /**
     * Whether a provider at {@code providerOrigin} can call {@code publicBase}: the base is public, or the
     * provider itself is on loopback or a private network (a dedicated server beside Visage, an emulator).
     */
    static boolean reachable(URI publicBase, URI providerOrigin) {
        return isPublic(publicBase.getHost()) || !isPublic(providerOrigin.getHost());
    }

    /**
     * Whether {@code host} is on the internet, judged from its spelling alone (no lookup at start-up): loopback,
     * private, link-local and shared address literals and {@code localhost} names are not; other names are.
     */
    static boolean isPublic(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return false;
        }
        if (!name.contains(":") && !IPV4.matcher(name).matches()) {
            return true;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(name); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return false;
        }
        byte[] raw = address.getAddress();
        boolean sharedOrUnique = raw.length == 4
                ? (raw[0] & 0xFF) == 100 && (raw[1] & 0xC0) == 64 // 100.64.0.0/10
                : (raw[0] & 0xFE) == 0xFC; // fc00::/7
        return !(address.isLoopbackAddress()
                || address.isSiteLocalAddress()
                || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()
                || sharedOrUnique);
    }
}
