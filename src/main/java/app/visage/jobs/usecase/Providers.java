package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Operation;
import app.visage.jobs.port.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
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

    /** The provider for this operation: the one asked for, or the operation's configured default. */
    public Provider choose(Operation operation, String requested) {
        String id = Optional.ofNullable(requested)
                .or(() -> Optional.ofNullable(config.defaultProvider().get(operation.wire())))
                .orElse("local");
        Provider provider = byId.get(id);
        if (provider == null) {
            throw new VisageException(
                    ErrorCode.INVALID_PARAM,
                    "provider " + id + " is not available here; available: " + String.join(", ", byId.keySet()),
                    "provider");
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
        provider.unavailable().ifPresent(why -> {
            throw new VisageException(
                    ErrorCode.INVALID_PARAM, "provider " + id + " is not configured: " + why, "provider");
        });
        return provider;
    }

    public Provider get(String id) {
        return Optional.ofNullable(byId.get(id))
                .orElseThrow(() -> new IllegalStateException("job names a provider not in this process: " + id));
    }
}
