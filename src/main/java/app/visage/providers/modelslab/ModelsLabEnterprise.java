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
 * {@code modelslab-enterprise}: a dedicated {@code image_editing} server. Its pages mark every field they list
 * required, so those the caller left out get the page's documented default, else its example's value (each
 * listed with its source in docs/providers/modelslab.md); its head_shot takes no size, sample or style params.
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

    /** enterprise-api/image-editing/face-gen.mdx; width and height are Visage's size rule (see {@link #size}). */
    private static final Map<Param, Object> FACE_GEN_REQUIRED = Map.of(
            Param.NUM_INFERENCE_STEPS,
            21L, // the example's "21"
            Param.GUIDANCE_SCALE,
            7.5, // the example's
            Param.STYLE,
            "realistic", // documented default
            Param.S_SCALE,
            1.0, // documented default
            Param.SAMPLES,
            1L, // the example's "1"
            Param.SAFETY_CHECKER,
            false, // the example's
            // no default or example on this page: the face_gen server's make_gen page documents this default
            Param.SAFETY_CHECKER_TYPE,
            "sensitive_content_text");

    /** enterprise-api/image-editing/head-shot.mdx; seed is picked at random (see {@link #seedRequired}). */
    private static final Map<Param, Object> HEAD_SHOT_REQUIRED = Map.of(
            Param.NEGATIVE_PROMPT,
            "blurry, low quality, distorted", // the example's
            Param.NUM_INFERENCE_STEPS,
            21L, // the example's "21"
            Param.GUIDANCE_SCALE,
            7.5); // the example's

    /** Without a secret to re-read: the configured key (tests that build the adapter themselves). */
    public ModelsLabEnterprise(VisageConfig config) {
        this(config, Secrets.NONE);
    }

    @Inject
    public ModelsLabEnterprise(VisageConfig config, Secrets secrets) {
        super(config.providers().modelslabEnterprise(), secrets);
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
        return operation == Operation.FACE_GEN ? FACE_GEN_REQUIRED : HEAD_SHOT_REQUIRED;
    }

    /** head_shot types its required seed as an integer but its example sends null: an integer is what both allow. */
    @Override
    boolean seedRequired(Operation operation) {
        return operation == Operation.HEAD_SHOT;
    }

    @Override
    boolean webhookRequired(Operation operation) {
        return true;
    }

    @Override
    boolean base64Required(Operation operation) {
        return operation == Operation.FACE_GEN;
    }

    @Override
    Uni<Response> generate(ModelsLabApi api, Operation operation, byte[] body) {
        return api.enterprise(operation.wire(), body);
    }

    @Override
    Uni<Response> fetch(ModelsLabApi api, String id, byte[] body) {
        return api.enterpriseFetch(id, body);
    }
}
