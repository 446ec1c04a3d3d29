package app.visage.providers.modelslab;

import app.visage.config.Secrets;
import app.visage.config.VisageConfig;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;

/**
 * {@code modelslab-face-gen}: the dedicated {@code face_gen} server, {@code make_gen} and {@code fetch/{id}}. Its
 * page marks the safety checker settings, {@code s_scale} and {@code seed} required: the first three get the page's
 * documented default (or its example's value), the seed is picked at random and recorded on the job.
 */
@Singleton
public class ModelsLabFaceGen extends ModelsLabProvider {
    private static final Set<Param> FACE_GEN = ModelsLabShared.union(
            COMMON,
            Set.of(
                    Param.WIDTH,
                    Param.HEIGHT,
                    Param.SAMPLES,
                    Param.S_SCALE,
                    Param.SAFETY_CHECKER,
                    Param.SAFETY_CHECKER_TYPE));

    /** enterprise-api/face-gen/make-gen.mdx. */
    private static final Map<Param, Object> REQUIRED = Map.of(
            Param.SAFETY_CHECKER,
            false, // no default: the example's
            Param.SAFETY_CHECKER_TYPE,
            "sensitive_content_text", // documented default
            Param.S_SCALE,
            1.0); // documented default

    /** Without a secret to re-read: the configured key (tests that build the adapter themselves). */
    public ModelsLabFaceGen(VisageConfig config) {
        this(config, Secrets.NONE);
    }

    @Inject
    public ModelsLabFaceGen(VisageConfig config, Secrets secrets) {
        super(config.providers().modelslabFaceGen(), secrets);
    }

    @Override
    public String id() {
        return "modelslab-face-gen";
    }

    @Override
    public Map<Operation, Set<Param>> operations() {
        return Map.of(Operation.FACE_GEN, FACE_GEN);
    }

    @Override
    Map<Param, Object> requiredDefaults(Operation operation) {
        return REQUIRED;
    }

    @Override
    boolean seedRequired(Operation operation) {
        return true;
    }

    @Override
    Uni<Response> generate(ModelsLabApi api, Operation operation, byte[] body) {
        return api.makeGen(body);
    }

    @Override
    Uni<Response> fetch(ModelsLabApi api, String id, byte[] body) {
        return api.faceGenFetch(id, body);
    }
}
