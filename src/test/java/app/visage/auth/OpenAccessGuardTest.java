package app.visage.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.config.VisageConfig;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The default test profile has no keys: the API is open, which only outside Lambda is allowed. */
@QuarkusTest
class OpenAccessGuardTest {
    @Inject
    OpenAccessGuard guard;

    @Inject
    VisageConfig config;

    @Test
    void anOpenClientFacingLambdaRefusesToStart() {
        for (String export : new String[] {"submit", "status"}) {
            assertThatThrownBy(() -> guard.check(true, export))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("VISAGE_AUTH_API_KEYS");
        }
    }

    @Test
    void functionsNoClientCallsAndLocalModeStartOpen() {
        for (String export : new String[] {"webhook", "upload", "cleanup"}) {
            assertThatCode(() -> guard.check(true, export)).doesNotThrowAnyException();
        }
        assertThatCode(() -> guard.check(false, "submit")).doesNotThrowAnyException();
    }
}
