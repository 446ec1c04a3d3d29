package app.visage.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.jobs.model.Tenant;
import app.visage.support.KeyedApi;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing visage.auth.api-keys, and matching keys against it. */
class ApiKeysTest {
    private static final String KEY = "vsk_test_key_0001";

    private static ApiKeys keys(String... entries) {
        return new ApiKeys(List.of(entries));
    }

    @Test
    void aKeyNamesItsTenantAndOnlyItsOwnKeyDoes() {
        ApiKeys keys = keys(
                "acme=" + KeyedApi.sha256Hex(KEY),
                " globex=" + KeyedApi.sha256Hex("other").toUpperCase());
        assertThat(keys.configured()).isTrue();
        assertThat(keys.tenantOf(KEY)).contains(new Tenant("acme"));
        assertThat(keys.tenantOf("other")).contains(new Tenant("globex"));
        assertThat(keys.tenantOf(KEY + " ")).isEmpty();
        assertThat(keys.tenantOf(KeyedApi.sha256Hex(KEY)))
                .as("the hash itself is not a key")
                .isEmpty();
    }

    @Test
    void noEntriesMeansNotConfigured() {
        assertThat(keys().configured()).isFalse();
        assertThat(keys("", " ").configured()).isFalse();
        assertThat(keys().tenantOf(KEY)).isEmpty();
    }

    @Test
    void aMalformedEntryStopsTheStartWithoutEchoingIt() {
        for (String bad : List.of(
                KEY,
                "acme=" + KEY,
                "acme=" + KeyedApi.sha256Hex(KEY).substring(1),
                "=" + KeyedApi.sha256Hex(KEY),
                "a cme=" + KeyedApi.sha256Hex(KEY))) {
            assertThatThrownBy(() -> keys(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("entry 1")
                    .hasMessageNotContaining(KEY);
        }
    }
}
