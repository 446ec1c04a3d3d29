package app.visage.providers.local;

import app.visage.images.OutputFormat;
import app.visage.jobs.model.FaceRecon;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.port.Provider.ProviderCall;
import app.visage.providers.local.engine.Box;
import app.visage.providers.local.engine.FaceReport;
import app.visage.providers.local.engine.LocalEngine;
import app.visage.providers.local.engine.Point;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine run in this process: BlazeFace on ONNX Runtime and Java2D. It is the only bean that
 * reaches them, and a build with {@code visage.local-engine=false} (the native build) leaves it
 * out, so nothing of ONNX Runtime or AWT is reachable there. The engine loads on the first job.
 */
@ApplicationScoped
@IfBuildProperty(name = "visage.local-engine", stringValue = "true", enableIfMissing = true)
public class InProcessEngine {
    private static final int DEFAULT_SIDE = 512;
    /** Output sizes for an aspect ratio: the largest that fits the 512×768 limits. */
    private static final Map<String, int[]> ASPECT_SIZES = Map.of(
            "1:1", new int[] {512, 512},
            "4:5", new int[] {512, 640},
            "3:4", new int[] {512, 683},
            "2:3", new int[] {512, 768},
            "9:16", new int[] {432, 768});

    private final LocalEngine engine = new LocalEngine();

    ProviderOutcome headShot(ProviderCall call) {
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
        OutputFormat format = params.string(Param.OUTPUT_FORMAT)
                .map(f -> f.equals("jpeg") ? OutputFormat.JPEG : OutputFormat.PNG)
                .orElse(OutputFormat.PNG);
        var shot = engine.headShot(call.photo().bytes(), call.photo().header(), width, height, format);
        return new ProviderOutcome.Finished(List.of(new ProviderOutcome.Bytes(shot.bytes())), null);
    }

    ProviderOutcome faceRecon(ProviderCall call) {
        FaceReport report = engine.faceRecon(call.photo().bytes(), call.photo().header());
        return new ProviderOutcome.Finished(List.of(), faceRecon(report).toResult());
    }

    /**
     * The engine's measurements in the one face_recon shape: colours with their confidences, the face's box,
     * keypoints and detection score; {@code null} for what a detector cannot tell (hair type, gender,
     * accessories, a 3D head model's coefficients) and for a colour the photo does not show.
     */
    static FaceRecon faceRecon(FaceReport report) {
        FaceReport.ColorEstimate skin = report.skin();
        FaceReport.ColorEstimate hair = report.hair();
        FaceReport.Keypoints k = report.keypoints();
        Map<String, FaceRecon.Point> keypoints = new LinkedHashMap<>();
        keypoints.put("right_eye", point(k.rightEye()));
        keypoints.put("left_eye", point(k.leftEye()));
        keypoints.put("nose_tip", point(k.noseTip()));
        keypoints.put("mouth", point(k.mouth()));
        keypoints.put("right_ear_tragion", point(k.rightEarTragion()));
        keypoints.put("left_ear_tragion", point(k.leftEarTragion()));
        Box box = report.box();
        return new FaceRecon(
                new FaceRecon.Skin(skin == null ? null : skin.hex(), skin == null ? null : skin.confidence()),
                new FaceRecon.Hair(hair == null ? null : hair.hex(), null, hair == null ? null : hair.confidence()),
                null,
                null,
                new FaceRecon.Face(
                        null,
                        null,
                        new FaceRecon.Box(box.x(), box.y(), box.width(), box.height()),
                        keypoints,
                        // The detector's float as written, not its widened double (0.9 rather than 0.8999999761…).
                        Double.parseDouble(Float.toString(report.score()))));
    }

    private static FaceRecon.Point point(Point p) {
        return new FaceRecon.Point(p.x(), p.y());
    }

    @PreDestroy
    void close() {
        engine.close();
    }
}
