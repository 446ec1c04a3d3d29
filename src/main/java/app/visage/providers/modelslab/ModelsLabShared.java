package app.visage.providers.modelslab;

import app.visage.config.Secrets;
import app.visage.config.VisageConfig;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code modelslab}: the shared v6 API, {@code image_editing/head_shot}, {@code face_gen} and {@code fetch/{id}}.
 * Its OpenAPI requires only key, prompt and face_image, and types {@code track_id} as an integer and head_shot's
 * {@code guidance_scale} as an integer 1–5 (face_gen's: a number 1–20).
 */
@Singleton
public class ModelsLabShared extends ModelsLabProvider {
    private static final Set<Param> HEAD_SHOT = union(
            COMMON,
            Set.of(
                    Param.WIDTH,
                    Param.HEIGHT,
                    Param.SAMPLES,
                    Param.S_SCALE,
                    Param.SAFETY_CHECKER,
                    Param.SAFETY_CHECKER_TYPE));
    private static final Guidance HEAD_SHOT_GUIDANCE = new Guidance(true, 1, 5);
    private static final Guidance FACE_GEN_GUIDANCE = new Guidance(false, 1, 20);

    /** Without a secret to re-read: the configured key (tests that build the adapter themselves). */
    public ModelsLabShared(VisageConfig config) {
        this(config, Secrets.NONE);
    }

    @Inject
    public ModelsLabShared(VisageConfig config, Secrets secrets) {
        super(config.providers().modelslab(), secrets);
    }

    @Override
    public String id() {
        return "modelslab";
    }

    @Override
    public Map<Operation, Set<Param>> operations() {
        return Map.of(Operation.HEAD_SHOT, HEAD_SHOT, Operation.FACE_GEN, union(HEAD_SHOT, Set.of(Param.STYLE)));
    }

    @Override
    boolean trackIdAsString() {
        return false;
    }

    @Override
    Guidance guidance(Operation operation) {
        return operation == Operation.HEAD_SHOT ? HEAD_SHOT_GUIDANCE : FACE_GEN_GUIDANCE;
    }

    @Override
    Uni<Response> generate(ModelsLabApi api, Operation operation, byte[] body) {
        return api.shared(operation.wire(), body);
    }

    @Override
    Uni<Response> fetch(ModelsLabApi api, String id, byte[] body) {
        return api.sharedFetch(id, body);
    }

    static Set<Param> union(Set<Param> a, Set<Param> b) {
        Set<Param> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
