package app.visage.infra;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * How clients of the HTTP API prove who they are: exactly one of API keys (the app checks them) or
 * an API Gateway JWT authorizer (the gateway checks the token, the app reads the tenant claim).
 * {@code submit} and {@code status} refuse to start without either, and under SnapStart they start
 * when their versions are published, so an open API would fail the deployment: synth says so first.
 */
public sealed interface ClientAuth {

    /** The tenant names and hash format the app accepts in {@code visage.auth.api-keys}. */
    Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    String DEFAULT_TENANT_CLAIM = "sub";

    /** {@code VISAGE_AUTH_API_KEYS}: {@code tenant=sha256hex} entries, trimmed, hashes in lower case. */
    record ApiKeys(String value) implements ClientAuth {}

    /** An API Gateway JWT authorizer; {@code VISAGE_AUTH_JWT_TENANT_CLAIM} is {@code tenantClaim}. */
    record Jwt(String issuer, List<String> audience, String tenantClaim) implements ClientAuth {}

    static ClientAuth from(Node node) {
        String apiKeys = DeploySettings.context(node, "apiKeys", null);
        String issuer = DeploySettings.context(node, "jwtIssuer", null);
        String audience = DeploySettings.context(node, "jwtAudience", null);
        String claim = DeploySettings.context(node, "jwtTenantClaim", null);
        if (apiKeys == null && issuer == null) {
            throw new IllegalArgumentException("No client authentication configured: the HTTP API would be open to"
                    + " anyone, and submit and status refuse to start that way (under SnapStart they start when"
                    + " their versions are published, so the deployment would fail). Pass"
                    + " -c apiKeys=<tenant>=<sha256 hex of its key>[,…] (infra/README.md shows how to make a key and"
                    + " its hash), or -c jwtIssuer=https://… -c jwtAudience=<audience>[,…] for a JWT authorizer.");
        }
        if (apiKeys != null && issuer != null) {
            throw new IllegalArgumentException("context apiKeys and jwtIssuer are both set: choose one. With"
                    + " jwtIssuer, API Gateway's JWT authorizer refuses every client request without a valid token"
                    + " before it reaches Visage, so the API keys could never be used.");
        }
        if (apiKeys != null) {
            if (audience != null || claim != null) {
                throw new IllegalArgumentException("context " + (audience != null ? "jwtAudience" : "jwtTenantClaim")
                        + " is set without jwtIssuer: it only applies to the JWT authorizer, not to apiKeys");
            }
            return new ApiKeys(apiKeys(apiKeys));
        }
        return new Jwt(issuer(issuer), audience(audience), claim == null ? DEFAULT_TENANT_CLAIM : claim.trim());
    }

    /**
     * Each entry checked as the app does. A failing entry is named by its number, never shown: it
     * may be a key pasted where its hash belongs.
     */
    private static String apiKeys(String given) {
        String[] entries = given.split(",", -1);
        List<String> canonical = new ArrayList<>();
        Map<String, Integer> seenHashes = new HashMap<>();
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            String which = "context apiKeys: entry " + (i + 1) + " of " + entries.length;
            String hidden = " (the entry is not shown, in case it holds a key)";
            int eq = entry.indexOf('=');
            if (entry.isEmpty()) {
                throw new IllegalArgumentException(
                        which + " is empty: entries are tenant=<sha256 hex>, comma-separated");
            }
            if (eq < 0) {
                throw new IllegalArgumentException(
                        which + " has no '=': entries are tenant=<sha256 hex of the key>" + hidden);
            }
            String tenant = entry.substring(0, eq).trim();
            String hash = entry.substring(eq + 1).trim();
            if (!TENANT.matcher(tenant).matches()) {
                throw new IllegalArgumentException(which + ": the tenant name must be 1 to 64 letters, digits, '.',"
                        + " '_' or '-', starting with a letter or digit" + hidden);
            }
            if (!SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalArgumentException(which + ": after '=' comes the SHA-256 of the key as 64 hex digits"
                        + " (printf %s \"$KEY\" | sha256sum), never the key itself" + hidden);
            }
            String lower = hash.toLowerCase(Locale.ROOT);
            Integer earlier = seenHashes.putIfAbsent(lower, i + 1);
            if (earlier != null) {
                throw new IllegalArgumentException(
                        which + " has the same key hash as entry " + earlier + ": one key names one tenant");
            }
            canonical.add(tenant + "=" + lower);
        }
        return String.join(",", canonical);
    }

    private static String issuer(String given) {
        String issuer = given.trim();
        String problem =
                "context jwtIssuer must be the token issuer's https URL (the tokens' iss claim), not '" + issuer + "'";
        try {
            URI uri = new URI(issuer);
            if (!"https".equals(uri.getScheme())
                    || uri.getHost() == null
                    || uri.getUserInfo() != null
                    || uri.getQuery() != null
                    || uri.getFragment() != null) {
                throw new IllegalArgumentException(problem);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem, e);
        }
        return issuer;
    }

    private static List<String> audience(String given) {
        if (given == null) {
            throw new IllegalArgumentException("context jwtAudience is required with jwtIssuer: the audiences"
                    + " (aud, or client_id for Cognito access tokens) a token must carry, comma-separated");
        }
        List<String> audience = new ArrayList<>();
        for (String one : given.split(",", -1)) {
            if (one.isBlank()) {
                throw new IllegalArgumentException("context jwtAudience has an empty entry: '" + given + "'");
            }
            audience.add(one.trim());
        }
        return List.copyOf(audience);
    }
}
