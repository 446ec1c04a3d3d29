package app.visage.auth;

import app.visage.config.Secrets;
import app.visage.jobs.model.Sha256;
import app.visage.jobs.model.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The API keys of {@code visage.auth.api-keys}: {@code tenant=<sha256 hex of the key>} entries. Only the
 * hashes are configured, so the configuration is not itself a secret worth stealing. A malformed entry
 * stops the start-up: a typo must not silently lock a tenant out or, worse, leave the API open.
 * The deployment's entries (environment) are fixed; the secret may hold more under the same property, read again
 * as {@link Secrets} refreshes, so keys are added and revoked there without a redeploy. A malformed entry put
 * there later is refused with a warning and the secret's previous entries kept.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,63})=([0-9a-fA-F]{64})");

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final String PROPERTY = "visage.auth.api-keys";

    private final List<Entry> entries;
    private final Secrets secrets;
    /** The secret's entries as last parsed, and the text they were parsed from. */
    private volatile InSecret inSecret = new InSecret("", List.of());

    private record InSecret(String text, List<Entry> entries) {}

    @Inject
    public ApiKeys(Secrets secrets) {
        this(secrets.outsideSecret(PROPERTY).map(ApiKeys::split).orElse(List.of()), secrets);
        // A malformed entry in the secret at start-up stops it, as one in the environment does.
        String text = secrets.inSecret(PROPERTY).orElse("");
        inSecret = new InSecret(text, parse(split(text)));
    }

    ApiKeys(List<String> configured) {
        this(configured, Secrets.NONE);
    }

    ApiKeys(List<String> configured, Secrets secrets) {
        this.entries = parse(configured);
        this.secrets = secrets;
    }

    private static List<String> split(String value) {
        return List.of(value.split(","));
    }

    /** The secret's entries now; parsed again only when its text changed. */
    private List<Entry> inSecret() {
        String text = secrets.inSecret(PROPERTY).orElse("");
        InSecret last = inSecret;
        if (text.equals(last.text())) {
            return last.entries();
        }
        List<Entry> parsed;
        try {
            parsed = parse(split(text));
        } catch (IllegalArgumentException e) {
            // The message numbers the entry, never shows it.
            LOG.warnf("%s in the secret; keeping its previous entries", e.getMessage());
            parsed = last.entries();
        }
        inSecret = new InSecret(text, parsed);
        return parsed;
    }

    private static List<Entry> parse(List<String> configured) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : configured) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            var match = ENTRY.matcher(entry);
            if (!match.matches()) {
                // The entry may be a key pasted by mistake: never echo it.
                throw new IllegalArgumentException("visage.auth.api-keys entry " + (entries.size() + 1)
                        + " is not tenant=<64 hex digits of the key's SHA-256>");
            }
            entries.add(new Entry(new Tenant(match.group(1)), HexFormat.of().parseHex(match.group(2))));
        }
        return List.copyOf(entries);
    }

    public boolean configured() {
        return !entries.isEmpty() || !inSecret().isEmpty();
    }

    /**
     * The tenant whose key this is. The key's hash is compared with every entry, each in constant time,
     * and the loop never stops early, so the answer's timing tells nothing about which bytes matched.
     */
    public Optional<Tenant> tenantOf(String key) {
        byte[] presented = Sha256.of(key);
        Tenant found = null;
        for (Entry entry : all()) {
            if (MessageDigest.isEqual(entry.hash(), presented) && found == null) {
                found = entry.tenant();
            }
        }
        return Optional.ofNullable(found);
    }

    private List<Entry> all() {
        List<Entry> inSecret = inSecret();
        if (inSecret.isEmpty()) {
            return entries;
        }
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(inSecret);
        return all;
    }

    record Entry(Tenant tenant, byte[] hash) {}
}
