package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.errors.VisageException;
import app.visage.jobs.model.Attempt;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.port.Provider;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The choice of where a job runs: one provider, a list in order of preference, or the configured default. */
class ProvidersTest {
    private static final Instant NOW = Instant.parse("2026-12-04T01:00:00Z");

    private static Provider provider(String id, String unavailable) {
        return new Provider() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Map<Operation, Set<Param>> operations() {
                return Map.of(Operation.FACE_GEN, Set.of(Param.PROMPT));
            }

            @Override
            public Optional<String> unavailable() {
                return Optional.ofNullable(unavailable);
            }

            @Override
            public ProviderOutcome start(ProviderCall call) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private final Providers providers = new Providers(
            List.of(
                    provider("modelslab", "set visage.providers.modelslab.api-key"),
                    provider("modelslab-enterprise", null),
                    provider("modelslab-face-gen", "set visage.providers.modelslab-face-gen.api-key"),
                    provider("fallback", null)),
            Core.config(Map.of("visage.default-provider.face_gen", "modelslab, modelslab-enterprise")));

    @Test
    void theFirstConfiguredProviderRunsTheJobTheConfiguredOnesAfterItAreItsFallbacks() {
        Providers.Route route = providers.route(
                Operation.FACE_GEN,
                null,
                List.of("modelslab", "modelslab-enterprise", "modelslab-face-gen", "fallback"),
                NOW);

        assertThat(route.first().id()).isEqualTo("modelslab-enterprise");
        assertThat(route.fallbacks()).containsExactly("fallback");
        assertThat(route.passedOver())
                .containsExactly(new Attempt(
                        "modelslab",
                        null,
                        Attempt.UNAVAILABLE,
                        null,
                        "not configured: set visage.providers.modelslab.api-key",
                        NOW));
    }

    @Test
    void theConfiguredDefaultMayBeAListToo() {
        Providers.Route route = providers.route(Operation.FACE_GEN, null, List.of(), NOW);

        assertThat(route.first().id()).isEqualTo("modelslab-enterprise");
        assertThat(route.passedOver()).extracting(Attempt::provider).containsExactly("modelslab");
    }

    @Test
    void oneProviderNamedIsThatProviderAloneOrA400NamingItsSetting() {
        assertThat(providers.route(Operation.FACE_GEN, "fallback", List.of(), NOW))
                .satisfies(r -> {
                    assertThat(r.first().id()).isEqualTo("fallback");
                    assertThat(r.fallbacks()).isEmpty();
                });
        assertThatThrownBy(() -> providers.route(Operation.FACE_GEN, "modelslab", List.of(), NOW))
                .isInstanceOf(VisageException.class)
                .hasMessageContaining("visage.providers.modelslab.api-key")
                .extracting(e -> ((VisageException) e).field())
                .isEqualTo("provider");
    }

    @Test
    void aListWithNoConfiguredProviderIsRefusedOnProviders() {
        assertThatThrownBy(() ->
                        providers.route(Operation.FACE_GEN, null, List.of("modelslab", "modelslab-face-gen"), NOW))
                .isInstanceOf(VisageException.class)
                .hasMessageContaining("no listed provider is configured")
                .extracting(e -> ((VisageException) e).field())
                .isEqualTo("providers");
    }
}
