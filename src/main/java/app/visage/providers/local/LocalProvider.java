package app.visage.providers.local;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.OutputFormat;
import app.visage.jobs.Operation;
import app.visage.jobs.Param;
import app.visage.jobs.Params;
import app.visage.jobs.Provider;
import app.visage.jobs.ProviderOutcome;
import app.visage.json.Json;
import app.visage.providers.local.engine.FaceReport;
import app.visage.providers.local.engine.LocalEngine;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The offline engine as a provider: BlazeFace detection, head-shot framing and face measurements,
 * in process and synchronous. The engine (ONNX Runtime, Java2D) loads on the first job, not at
 * start-up.
 */
@ApplicationScoped
public class LocalProvider implements Provider {
    private static final int DEFAULT_SIDE = 512;
    /** Output sizes for an aspect ratio: the largest that fits the 512×768 limits. */
    private static final Map<String, int[]> ASPECT_SIZES = Map.of(
            "1:1", new int[] {512, 512},
            "4:5", new int[] {512, 640},
            "3:4", new int[] {512, 683},
            "2:3", new int[] {512, 768},
            "9:16", new int[] {432, 768});

    private final LocalEngine engine = new LocalEngine();

    @Override
    public String id() {
        return "local";
    }

    @Override
    public Map<Operation, Set<Param>> operations() {
        return Map.of(
                Operation.HEAD_SHOT, Set.of(Param.WIDTH, Param.HEIGHT, Param.ASPECT_RATIO, Param.OUTPUT_FORMAT,
                        Param.RETURN_BASE64),
                Operation.FACE_RECON, Set.of());
    }

    /** Running the engine again costs nothing, so a start a crash interrupted is simply run again. */
    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public void check(Operation operation, Params params) {
        if (params.has(Param.ASPECT_RATIO) && (params.has(Param.WIDTH) || params.has(Param.HEIGHT))) {
            throw new VisageException(ErrorCode.INVALID_PARAM,
                    "give either aspect_ratio or width/height, not both", "params.aspect_ratio");
        }
    }

    @Override
    public ProviderOutcome start(ProviderCall call) {
        return switch (call.operation()) {
            case HEAD_SHOT -> headShot(call);
            case FACE_RECON -> faceRecon(call);
            default -> throw new IllegalStateException("local does not do " + call.operation().wire());
        };
    }

    private ProviderOutcome headShot(ProviderCall call) {
        Params params = call.params();
        int width;
        int height;
        if (params.has(Param.ASPECT_RATIO)) {
            int[] size = ASPECT_SIZES.get(params.string(Param.ASPECT_RATIO).orElseThrow());
            width = size[0];
            height = size[1];
        } else {
            width = params.integer(Param.WIDTH).map(Long::intValue).orElse(DEFAULT_SIDE);
            height = params.integer(Param.HEIGHT).map(Long::intValue).orElse(DEFAULT_SIDE);
        }
        OutputFormat format = params.string(Param.OUTPUT_FORMAT).map(f -> f.equals("jpeg") ? OutputFormat.JPEG
                : OutputFormat.PNG).orElse(OutputFormat.PNG);
        var shot = engine.headShot(call.photo().bytes(), call.photo().header(), width, height, format);
        return new ProviderOutcome.Finished(List.of(new ProviderOutcome.Bytes(shot.bytes())), null);
    }

    private ProviderOutcome faceRecon(ProviderCall call) {
        FaceReport report = engine.faceRecon(call.photo().bytes(), call.photo().header());
        Map<String, Object> result = Json.MAPPER.convertValue(report, new TypeReference<Map<String, Object>>() {
        });
        return new ProviderOutcome.Finished(List.of(), result);
    }

    @PreDestroy
    void close() {
        engine.close();
    }
}
