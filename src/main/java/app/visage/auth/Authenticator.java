package app.visage.auth;

import app.visage.api.HttpRequest;
import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who is calling: the tenant named by the claim API Gateway's JWT authorizer verified, or by the API key
 * in {@code Authorization: Bearer}; with neither configured, everyone is the anonymous tenant (local mode).
 */
@ApplicationScoped
public class Authenticator {
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +(\\S{1,512})");
    private static final int MAX_TENANT = 256;

    private final ApiKeys keys;
    private final Optional<String> tenantClaim;

    public Authenticator(ApiKeys keys, VisageConfig config) {
        this.keys = keys;
        this.tenantClaim = config.auth().jwtTenantClaim().filter(c -> !c.isBlank());
    }

    /** Whether any caller is let in unauthenticated. */
    public boolean open() {
        return !keys.configured() && tenantClaim.isEmpty();
    }

    public Tenant authenticate(HttpRequest request) {
        if (open()) {
            return Tenant.ANONYMOUS;
        }
        if (tenantClaim.isPresent()) {
            Optional<String> claim = request.jwtClaim(tenantClaim.get());
            if (claim.isPresent()) {
                return tenantFromClaim(claim.get());
            }
        }
        if (!keys.configured()) {
            throw unauthorized("the request carries no verified " + tenantClaim.orElseThrow() + " claim");
        }
        String header =
                request.header("authorization").orElseThrow(() -> unauthorized("send Authorization: Bearer <api key>"));
        var bearer = BEARER.matcher(header.trim());
        if (!bearer.matches()) {
            throw unauthorized("send Authorization: Bearer <api key>");
        }
        return keys.tenantOf(bearer.group(1)).orElseThrow(() -> unauthorized("the API key is not valid"));
    }

    private static Tenant tenantFromClaim(String value) {
        if (value.isBlank() || value.length() > MAX_TENANT || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw unauthorized("the tenant claim is not usable");
        }
        return new Tenant(value);
    }

    private static VisageException unauthorized(String message) {
        return new VisageException(ErrorCode.UNAUTHORIZED, message);
    }
}
