package app.visage.providers.modelslab;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code modelslab}: the shared v6 API, {@code image_editing/head_shot}, {@code face_gen} and {@code fetch/{id}}. */
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

    public ModelsLabShared(VisageConfig config) {
        super(config.providers().modelslab());
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
    Uni<Response> generate(ModelsLabApi api, Operation operation, ObjectNode body) {
        return api.shared(operation.wire(), body);
    }

    @Override
    Uni<Response> fetch(ModelsLabApi api, String id, ObjectNode body) {
        return api.sharedFetch(id, body);
    }

    static Set<Param> union(Set<Param> a, Set<Param> b) {
        Set<Param> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
