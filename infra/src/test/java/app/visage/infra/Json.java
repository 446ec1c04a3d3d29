package app.visage.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the synthesized template's JSON (maps, lists and strings, as jsii hands them over). */
final class Json {
    private Json() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a JSON object, got " + value);
        }
        return (Map<String, Object>) value;
    }

    /** A JSON array; a single value counts as an array of one (IAM's Action and Resource). */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List) {
            return (List<Object>) value;
        }
        return List.of(value);
    }

    static Object path(Map<String, Object> from, String... keys) {
        Object at = from;
        for (String key : keys) {
            if (!(at instanceof Map<?, ?> m)) {
                return null;
            }
            at = m.get(key);
        }
        return at;
    }

    /**
     * An intrinsic rendered as text: {@code {"Fn::GetAtt":["Bucket","Arn"]}} → {@code ${Bucket.Arn}},
     * {@code {"Ref":"X"}} → {@code ${X}}, {@code Fn::Join} with "" → its parts concatenated.
     */
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        Map<String, Object> m = map(value);
        if (m.size() == 1 && m.containsKey("Ref")) {
            return "${" + m.get("Ref") + "}";
        }
        if (m.size() == 1 && m.containsKey("Fn::GetAtt")) {
            List<Object> att = list(m.get("Fn::GetAtt"));
            return "${" + att.get(0) + "." + att.get(1) + "}";
        }
        if (m.size() == 1 && m.containsKey("Fn::Join")) {
            List<Object> join = list(m.get("Fn::Join"));
            List<String> parts = new ArrayList<>();
            for (Object part : list(join.get(1))) {
                parts.add(render(part));
            }
            return String.join((String) join.get(0), parts);
        }
        return m.toString();
    }
}
