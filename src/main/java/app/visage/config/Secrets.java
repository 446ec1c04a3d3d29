package app.visage.config;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The secret's values as they are now, for what may be rotated without a redeploy: provider keys and the API key
 * hashes a secret may add ({@code visage.auth.api-keys}). Start-up reads the secret once
 * ({@link SecretsConfigSourceFactory}), and a SnapStart version keeps what it read then; this re-reads it through
 * the Parameters and Secrets extension when its copy is older than {@code visage.secrets.refresh} (the
 * extension's own cache lives as long: the deployment sets both), on the next use, never on a timer. The order of
 * sources stays the configuration's: a value an environment variable sets wins over the secret's.
 */
@Singleton
public class Secrets {
    /** No secret: every value is the configuration's. */
    public static final Secrets NONE = new Secrets(Optional.empty(), 0, Duration.ZERO, Clock.systemUTC(), p -> null);

    private static final Logger LOG = Logger.getLogger(Secrets.class);

    private final Optional<String> arn;
    private final int port;
    private final Duration refresh;
    private final Clock clock;
    /** The configuration's value of a property, with the rank of its source. */
    private final Function<String, ConfigValue> configured;

    private volatile Snapshot snapshot;
    private Instant failedAt;

    private record Snapshot(Map<String, String> values, Instant readAt) {}

    @Inject
    public Secrets(VisageConfig config, Clock clock) {
        this(
                config.secrets().arn(),
                SecretsExtension.port(config.secrets().extensionPort()),
                config.secrets().refresh(),
                clock,
                ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)::getConfigValue);
    }

    /** The parts, for a caller without CDI: {@code configured} gives a property's value and its source's rank. */
    public Secrets(
            Optional<String> arn, int port, Duration refresh, Clock clock, Function<String, ConfigValue> configured) {
        this.arn = arn.filter(a -> !a.isBlank());
        this.port = port;
        this.refresh = refresh;
        this.clock = clock;
        this.configured = configured;
    }

    /**
     * The property's value now: an environment variable's (or anything ranked above the secret) as configured;
     * else the secret's latest; else a lower-ranked source's (application.properties). A value the secret held
     * at start-up and holds no longer is gone.
     */
    public Optional<String> current(String property) {
        ConfigValue value = configured.apply(property);
        boolean set = value != null && value.getValue() != null;
        if (arn.isEmpty() || set && value.getSourceOrdinal() > SecretsConfigSourceFactory.ORDINAL) {
            return set ? Optional.of(value.getValue()) : Optional.empty();
        }
        Map<String, String> latest = values();
        if (latest == null) {
            // Never read yet, and the extension does not answer: what start-up read.
            return set ? Optional.of(value.getValue()) : Optional.empty();
        }
        if (latest.containsKey(property)) {
            return Optional.of(latest.get(property));
        }
        return set && value.getSourceOrdinal() < SecretsConfigSourceFactory.ORDINAL
                ? Optional.of(value.getValue())
                : Optional.empty();
    }

    /**
     * The property as the secret holds it now, whatever ranks above it: what a secret adds to another source
     * (API key hashes). Before a first read succeeded, what start-up read from it.
     */
    public Optional<String> inSecret(String property) {
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> latest = values();
        if (latest != null) {
            return Optional.ofNullable(latest.get(property));
        }
        ConfigValue value = configured.apply(property);
        return value != null
                        && value.getValue() != null
                        && value.getSourceOrdinal() == SecretsConfigSourceFactory.ORDINAL
                ? Optional.of(value.getValue())
                : Optional.empty();
    }

    /** The property as configured by any source but the secret (the environment, application.properties). */
    public Optional<String> outsideSecret(String property) {
        ConfigValue value = configured.apply(property);
        return value != null
                        && value.getValue() != null
                        && value.getSourceOrdinal() != SecretsConfigSourceFactory.ORDINAL
                ? Optional.of(value.getValue())
                : Optional.empty();
    }

    /**
     * The secret's values, read again once the copy is older than the refresh period; null before a first read
     * succeeded. A failed read keeps the last values (a rotation shows a little later, nothing stops) and is tried
     * again a period later.
     */
    private Map<String, String> values() {
        Snapshot now = snapshot;
        Instant time = clock.instant();
        if (now != null && now.readAt().plus(refresh).isAfter(time)) {
            return now.values();
        }
        synchronized (this) {
            if (snapshot != now) {
                return snapshot.values();
            }
            if (now == null && failedAt != null && failedAt.plus(refresh).isAfter(time)) {
                return null;
            }
            Map<String, String> values;
            try {
                values = SecretsExtension.read(arn.orElseThrow(), port);
            } catch (IllegalStateException e) {
                // The message names the secret and the failure, never a value.
                LOG.warnf("keeping the secret's last values: %s", e.getMessage());
                if (now == null) {
                    failedAt = time;
                    return null;
                }
                values = now.values();
            }
            snapshot = new Snapshot(Map.copyOf(values), time);
            return snapshot.values();
        }
    }
}
