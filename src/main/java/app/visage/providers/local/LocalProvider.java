package app.visage.providers.local;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.port.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.Set;

/**
 * The offline engine as a provider: head shots framed on the face, and face measurements, in
 * process and synchronous. What it takes is known in every build; the engine itself only where
 * {@link InProcessEngine} is built in. There its jobs start inline, in {@code submit} or {@code upload}; the
 * native executables, which leave it out, leave them queued for the {@code worker}, which runs on the JVM
 * with the engine.
 */
@ApplicationScoped
public class LocalProvider implements Provider {
    private final Instance<InProcessEngine> engine;

    public LocalProvider(Instance<InProcessEngine> engine) {
        this.engine = engine;
    }

    @Override
    public String id() {
        return "local";
    }

    @Override
    public Map<Operation, Set<Param>> operations() {
        return Map.of(
                Operation.HEAD_SHOT,
                        Set.of(Param.WIDTH, Param.HEIGHT, Param.ASPECT_RATIO, Param.OUTPUT_FORMAT, Param.RETURN_BASE64),
                Operation.FACE_RECON, Set.of());
    }

    @Override
    public boolean startsInline() {
        return engine.isResolvable();
    }

    /** Running the engine again costs nothing, so a start a crash interrupted is simply run again. */
    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public void check(Operation operation, Params params) {
        if (params.has(Param.ASPECT_RATIO) && (params.has(Param.WIDTH) || params.has(Param.HEIGHT))) {
            throw new VisageException(
                    ErrorCode.INVALID_PARAM,
                    "give either aspect_ratio or width/height, not both",
                    "params.aspect_ratio");
        }
    }

    @Override
    public ProviderOutcome start(ProviderCall call) {
        return switch (call.operation()) {
            case HEAD_SHOT -> engine.get().headShot(call);
            case FACE_RECON -> engine.get().faceRecon(call);
            default ->
                throw new IllegalStateException(
                        "local does not do " + call.operation().wire());
        };
    }
}
