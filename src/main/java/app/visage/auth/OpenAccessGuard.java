package app.visage.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A Lambda that serves clients (submit, status) refuses to start with neither API keys nor a JWT tenant
 * claim configured: an open API in AWS would let anyone spend the provider credit and read any job. It
 * fails at init, which under SnapStart is the version publish, so the deployment itself fails.
 */
@ApplicationScoped
public class OpenAccessGuard {
    private static final Set<String> CLIENT_FACING = Set.of("submit", "status");

    private final Authenticator authenticator;

    public OpenAccessGuard(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    void onStart(@Observes StartupEvent event) {
        check(
                System.getenv("AWS_LAMBDA_RUNTIME_API") != null,
                ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.funqy.export", String.class)
                        .orElse(""));
    }

    void check(boolean inLambda, String export) {
        if (inLambda && CLIENT_FACING.contains(export) && authenticator.open()) {
            throw new IllegalStateException("refusing to serve " + export + " open: set visage.auth.api-keys "
                    + "(VISAGE_AUTH_API_KEYS) or visage.auth.jwt-tenant-claim (VISAGE_AUTH_JWT_TENANT_CLAIM)");
        }
    }
}
