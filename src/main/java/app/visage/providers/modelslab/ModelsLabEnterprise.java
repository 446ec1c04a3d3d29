package app.visage.providers.modelslab;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;

/**
 * {@code modelslab-enterprise}: a dedicated {@code image_editing} server. Its face_gen page marks
 * every field required, so the documented defaults are sent for those the user left out; its
 * head_shot takes no size, sample or style params.
 */
@Singleton
public class ModelsLabEnterprise extends ModelsLabProvider {
    private static final Set<Param> FACE_GEN = ModelsLabShared.union(
            COMMON,
            Set.of(
                    Param.WIDTH,
                    Param.HEIGHT,
                    Param.SAMPLES,
                    Param.S_SCALE,
                    Param.SAFETY_CHECKER,
                    Param.SAFETY_CHECKER_TYPE,
                    Param.STYLE));

    public ModelsLabEnterprise(VisageConfig config) {
        super(config.providers().modelslabEnterprise());
    }

    @Override
    public String id() {
        return "modelslab-enterprise";
    }

    @Override
    public Map<Operation, Set<Param>> operations() {
        return Map.of(Operation.HEAD_SHOT, COMMON, Operation.FACE_GEN, FACE_GEN);
    }

    @Override
    Map<Param, Object> requiredDefaults(Operation operation) {
        return operation == Operation.FACE_GEN
                ? Map.of(
                        Param.WIDTH,
                        512,
                        Param.HEIGHT,
                        512,
                        Param.SAMPLES,
                        1,
                        Param.NUM_INFERENCE_STEPS,
                        21,
                        Param.GUIDANCE_SCALE,
                        7.5,
                        Param.STYLE,
                        "realistic",
                        Param.S_SCALE,
                        1.0,
                        Param.SAFETY_CHECKER,
                        true,
                        Param.SAFETY_CHECKER_TYPE,
                        "sensitive_content_text")
                : Map.of();
    }

    @Override
    Uni<Response> generate(ModelsLabApi api, Operation operation, ObjectNode body) {
        return api.enterprise(operation.wire(), body);
    }

    @Override
    Uni<Response> fetch(ModelsLabApi api, String id, ObjectNode body) {
        return api.enterpriseFetch(id, body);
    }
}
