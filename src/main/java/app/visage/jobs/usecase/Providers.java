package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Attempt;
import app.visage.jobs.model.Operation;
import app.visage.jobs.port.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The providers present in this process, and the choice of one for a request. */
@ApplicationScoped
public class Providers {
    /** Which documented service performs which operation (DESIGN.md), for pointing users elsewhere. */
    private static final Map<Operation, List<String>> KNOWN = Map.of(
            Operation.HEAD_SHOT, List.of("local", "modelslab", "modelslab-enterprise"),
            Operation.FACE_GEN, List.of("modelslab", "modelslab-enterprise", "modelslab-face-gen"),
            Operation.FACE_TO_MODEL, List.of("fashn"),
            Operation.FACE_RECON, List.of("local", "metahuman"));

    private final Map<String, Provider> byId = new LinkedHashMap<>();
    private final VisageConfig config;

    @Inject
    public Providers(Instance<Provider> providers, VisageConfig config) {
        this((Iterable<Provider>) providers, config);
    }

    public Providers(Iterable<Provider> providers, VisageConfig config) {
        providers.forEach(p -> byId.put(p.id(), p));
        this.config = config;
    }

    /**
     * Where a job may run, in order: the first listed provider that is configured runs it, the configured ones
     * after it are tried in turn if it refuses the job before taking it, and the unconfigured ones before it are
     * passed over (kept as attempts, so the job's view says why). {@code requested} names one provider,
     * {@code preference} a list (never both); neither means the operation's configured default, itself a
     * comma-separated list.
     */
    public Route route(Operation operation, String requested, List<String> preference, Instant now) {
        List<String> ids = requested != null
                ? List.of(requested)
                : !preference.isEmpty()
                        ? preference
                        : Optional.ofNullable(config.defaultProvider().get(operation.wire()))
                                .map(list -> Arrays.stream(list.split(","))
                                        .map(String::trim)
                                        .filter(id -> !id.isEmpty())
                                        .toList())
                                .filter(list -> !list.isEmpty())
                                .orElse(List.of("local"));
        String field = requested != null || preference.isEmpty() ? "provider" : "providers";
        List<Provider> listed =
                ids.stream().map(id -> known(operation, id, field)).toList();
        List<Attempt> passedOver = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            Provider provider = listed.get(i);
            Optional<String> why = provider.unavailable();
            if (why.isEmpty()) {
                List<String> fallbacks = listed.subList(i + 1, listed.size()).stream()
                        .filter(p -> p.unavailable().isEmpty())
                        .map(Provider::id)
                        .toList();
                return new Route(provider, fallbacks, passedOver);
            }
            passedOver.add(
                    new Attempt(provider.id(), null, Attempt.UNAVAILABLE, null, "not configured: " + why.get(), now));
        }
        Provider first = listed.getFirst();
        throw new VisageException(
                ErrorCode.INVALID_PARAM,
                (listed.size() == 1
                                ? "provider " + first.id() + " is not configured: "
                                : "no listed provider is configured; ")
                        + first.unavailable().orElseThrow(),
                field);
    }

    /** The providers a job may run at: {@code first}, then {@code fallbacks}; {@code passedOver} were unconfigured. */
    public record Route(Provider first, List<String> fallbacks, List<Attempt> passedOver) {

        /** Every provider of the route that may run the job, in order. */
        public List<Provider> candidates(Providers providers) {
            List<Provider> all = new ArrayList<>();
            all.add(first);
            fallbacks.forEach(id -> all.add(providers.get(id)));
            return all;
        }
    }

    /** {@code id}, which must be present and perform {@code operation}. */
    private Provider known(Operation operation, String id, String field) {
        Provider provider = byId.get(id);
        if (provider == null) {
            throw new VisageException(
                    ErrorCode.INVALID_PARAM,
                    "provider " + id + " is not available here; available: " + String.join(", ", byId.keySet()),
                    field);
        }
        if (!provider.operations().containsKey(operation)) {
            throw new VisageException(
                    ErrorCode.INVALID_PARAM,
                    "provider " + id + " does not do " + operation.wire()
                            + "; " + operation.wire() + " is done by "
                            + KNOWN.get(operation).stream()
                                    .filter(p -> !p.equals(id))
                                    .collect(Collectors.joining(", ")),
                    "operation");
        }
        return provider;
    }

    /** Every provider present, in the order they were found. */
    public List<Provider> all() {
        return List.copyOf(byId.values());
    }

    public Provider get(String id) {
        return Optional.ofNullable(byId.get(id))
                .orElseThrow(() -> new IllegalStateException("job names a provider not in this process: " + id));
    }
}
