package app.visage.auth;

import app.visage.config.VisageConfig;
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

/**
 * The API keys of {@code visage.auth.api-keys}: {@code tenant=<sha256 hex of the key>} entries. Only the
 * hashes are configured, so the configuration is not itself a secret worth stealing. A malformed entry
 * stops the start-up: a typo must not silently lock a tenant out or, worse, leave the API open.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,63})=([0-9a-fA-F]{64})");

    private final List<Entry> entries;

    @Inject
    public ApiKeys(VisageConfig config) {
        this(config.auth().apiKeys().orElse(List.of()));
    }

    ApiKeys(List<String> configured) {
        this.entries = parse(configured);
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
        return !entries.isEmpty();
    }

    /**
     * The tenant whose key this is. The key's hash is compared with every entry, each in constant time,
     * and the loop never stops early, so the answer's timing tells nothing about which bytes matched.
     */
    public Optional<Tenant> tenantOf(String key) {
        byte[] presented = Sha256.of(key);
        Tenant found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), presented) && found == null) {
                found = entry.tenant();
            }
        }
        return Optional.ofNullable(found);
    }

    record Entry(Tenant tenant, byte[] hash) {}
}
