package app.visage.providers.modelslab;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;

/**
 * {@code modelslab-face-gen}: the dedicated {@code face_gen} server, {@code make_gen} and
 * {@code fetch/{id}}. It requires the safety checker settings, {@code s_scale} and a {@code seed}:
 * a random seed is sent when the user gave none, as the shared API would pick one.
 */
@Singleton
public class ModelsLabFaceGen extends ModelsLabProvider {
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final Set<Param> FACE_GEN = ModelsLabShared.union(
            COMMON,
            Set.of(
                    Param.WIDTH,
                    Param.HEIGHT,
                    Param.SAMPLES,
                    Param.S_SCALE,
                    Param.SAFETY_CHECKER,
                    Param.SAFETY_CHECKER_TYPE));

    public ModelsLabFaceGen(VisageConfig config) {
        super(config.providers().modelslabFaceGen());
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
        return Map.of(
                Param.SAFETY_CHECKER,
                true,
                Param.SAFETY_CHECKER_TYPE,
                "sensitive_content_text",
                Param.S_SCALE,
                1.0,
                Param.SEED,
                SEEDS.nextLong(1L << 32));
    }

    @Override
    Uni<Response> generate(ModelsLabApi api, Operation operation, ObjectNode body) {
        return api.makeGen(body);
    }

    @Override
    Uni<Response> fetch(ModelsLabApi api, String id, ObjectNode body) {
        return api.faceGenFetch(id, body);
    }
}
