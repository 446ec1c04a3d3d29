package app.visage.local;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Open local mode (no API keys) binds loopback only; with keys it may serve other addresses. */
class LocalModeBindingTest {
    @Test
    void openServesLoopbackOnly() {
        for (String host : new String[] {"127.0.0.1", "::1", "localhost", "127.0.0.2"}) {
            assertThatCode(() -> LocalMode.checkOpenOnlyOnLoopback(host, true)).doesNotThrowAnyException();
        }
        for (String host : new String[] {"0.0.0.0", "::", "192.168.1.10"}) {
            assertThatThrownBy(() -> LocalMode.checkOpenOnlyOnLoopback(host, true))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("VISAGE_AUTH_API_KEYS");
        }
    }

    @Test
    void withKeysAnyAddressIsAllowed() {
        assertThatCode(() -> LocalMode.checkOpenOnlyOnLoopback("0.0.0.0", false))
                .doesNotThrowAnyException();
    }
}
