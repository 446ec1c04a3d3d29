package app.visage.support;

import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Local mode against the provider emulators, with API keys for two tenants configured (only their hashes). */
public final class KeyedApi {
    public static final String ACME_KEY = "vsk_acme_0123456789abcdef0123456789abcdef";
    public static final String GLOBEX_KEY = "vsk_globex_fedcba9876543210fedcba98765432";

    private KeyedApi() {}

    public static String sha256Hex(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RequestSpecification as(RequestSpecification spec, String key) {
        return spec.header("Authorization", "Bearer " + key);
    }

    public static class Profile extends ProviderEmulators.Profile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("visage.auth.api-keys", "acme=" + sha256Hex(ACME_KEY) + ",globex=" + sha256Hex(GLOBEX_KEY));
        }
    }
}
