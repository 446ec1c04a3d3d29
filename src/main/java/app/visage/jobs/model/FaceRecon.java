package app.visage.jobs.model;

import com.fasterxml.jackson.databind.node.NullNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one {@code face_recon} result, whichever provider made it (DESIGN.md "face_recon results have one
 * shape"): every adapter builds this and stores {@link #toResult()}. A field the provider cannot tell is
 * {@code null}, and stays in the result as {@code null}, so every provider's result has the same keys at
 * every level. Colours are {@code #rrggbb}; confidences are 0..1. The UV texture, where there is one, is
 * the job's output 1, not part of the result.
 */
public record FaceRecon(Skin skin, Hair hair, String gender, List<String> accessories, Face face) {

    public FaceRecon {
        accessories = accessories == null ? null : List.copyOf(accessories);
    }

    public record Skin(String color, Double confidence) {}

    public record Hair(String color, String type, Double confidence) {}

    /**
     * {@code blendShapes} and {@code blinkCorrectionCoeff} are a 3D head model's (MetaHuman SDK's 80 shape
     * coefficients); {@code box}, {@code keypoints} and {@code score} a detector's, in the photo's pixels.
     */
    public record Face(
            List<Double> blendShapes,
            Double blinkCorrectionCoeff,
            Box box,
            Map<String, Point> keypoints,
            Double score) {

        public Face {
            blendShapes = blendShapes == null ? null : List.copyOf(blendShapes);
            keypoints = keypoints == null ? null : new LinkedHashMap<>(keypoints);
        }
    }

    /** A rectangle in the photo's pixels; (x, y) is its top-left corner. */
    public record Box(double x, double y, double width, double height) {}

    public record Point(double x, double y) {}

    /**
     * The job's {@code result}: snake_case keys, every key present, a JSON {@code null} ({@link NullNode}, which
     * the record's JSON keeps where it drops a Java null) for what is not known.
     */
    public Map<String, Object> toResult() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("skin", map("color", skin.color(), "confidence", skin.confidence()));
        result.put("hair", map("color", hair.color(), "type", hair.type(), "confidence", hair.confidence()));
        result.put("gender", orNull(gender));
        result.put("accessories", orNull(accessories));
        Object points = NullNode.instance;
        if (face.keypoints() != null) {
            Map<String, Object> named = new LinkedHashMap<>();
            face.keypoints().forEach((name, p) -> named.put(name, map("x", p.x(), "y", p.y())));
            points = named;
        }
        Box box = face.box();
        result.put(
                "face",
                map(
                        "blend_shapes",
                        face.blendShapes(),
                        "blink_correction_coeff",
                        face.blinkCorrectionCoeff(),
                        "box",
                        box == null
                                ? null
                                : map("x", box.x(), "y", box.y(), "width", box.width(), "height", box.height()),
                        "keypoints",
                        points,
                        "score",
                        face.score()));
        return result;
    }

    /** Every key of the shape, each {@code null}: the template {@link #withEveryKey} fills from. */
    private static final Map<String, Object> KEYS = new FaceRecon(
                    new Skin(null, null),
                    new Hair(null, null, null),
                    null,
                    null,
                    new Face(null, null, null, null, null))
            .toResult();

    /**
     * A stored face_recon result with every key of the shape, {@code null} where it has none: a stored record
     * is read back without its nulls (JSON {@code null} becomes an absent key on the next write), so the view
     * puts them back. Keys outside the shape (a result stored before it) are kept as they are.
     */
    public static Map<String, Object> withEveryKey(Map<String, Object> stored) {
        return fill(KEYS, stored);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fill(Map<String, Object> template, Map<String, Object> stored) {
        Map<String, Object> filled = new LinkedHashMap<>(template);
        stored.forEach((key, value) -> {
            if (value != null) {
                filled.put(
                        key,
                        template.get(key) instanceof Map<?, ?> inner && value instanceof Map<?, ?> given
                                ? fill((Map<String, Object>) inner, (Map<String, Object>) given)
                                : value);
            }
        });
        return filled;
    }

    /** An ordered map that keeps unknown values as JSON nulls. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], orNull(keysAndValues[i + 1]));
        }
        return map;
    }

    private static Object orNull(Object value) {
        return value == null ? NullNode.instance : value;
    }
}
