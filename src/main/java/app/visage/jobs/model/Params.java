package app.visage.jobs.model;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Job parameters checked against what one provider takes for one operation: names, types and
 * limits. Once built, every value is of its parameter's Java type (String, Long, Double, Boolean).
 */
public final class Params {
    private final Map<Param, Object> values;

    private Params(Map<Param, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Params none() {
        return new Params(new EnumMap<>(Param.class));
    }

    /** Validates raw JSON {@code params}; refuses a parameter the provider does not take, by name. */
    public static Params validate(JsonNode raw, Set<Param> accepted, String provider, Operation operation) {
        EnumMap<Param, Object> values = new EnumMap<>(Param.class);
        if (raw == null || raw.isNull() || raw.isMissingNode()) {
            return new Params(values);
        }
        if (!raw.isObject()) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "params must be an object", "params");
        }
        for (Map.Entry<String, JsonNode> entry : raw.properties()) {
            String field = "params." + entry.getKey();
            Param param = Param.byWire(entry.getKey())
                    .filter(accepted::contains)
                    .orElseThrow(() -> new VisageException(
                            ErrorCode.INVALID_PARAM,
                            "provider " + provider
                                    + " does not take " + entry.getKey() + " for " + operation.wire() + "; it takes: "
                                    + (accepted.isEmpty()
                                            ? "no params"
                                            : accepted.stream()
                                                    .map(Param::wire)
                                                    .sorted()
                                                    .collect(Collectors.joining(", "))),
                            field));
            values.put(param, convert(param, entry.getValue(), field));
        }
        return new Params(values);
    }

    /** Rebuilds params from a stored job record (already validated when the job was created). */
    public static Params fromStored(Map<String, Object> stored) {
        EnumMap<Param, Object> values = new EnumMap<>(Param.class);
        stored.forEach((k, v) -> Param.byWire(k).ifPresent(p -> values.put(p, normalise(p, v))));
        return new Params(values);
    }

    public Map<String, Object> toStored() {
        Map<String, Object> stored = new LinkedHashMap<>();
        values.forEach((p, v) -> stored.put(p.wire(), v));
        return stored;
    }

    public boolean has(Param param) {
        return values.containsKey(param);
    }

    public Optional<String> string(Param param) {
        return Optional.ofNullable((String) values.get(param));
    }

    public Optional<Long> integer(Param param) {
        return Optional.ofNullable((Long) values.get(param));
    }

    public Optional<Double> number(Param param) {
        return Optional.ofNullable((Double) values.get(param));
    }

    public boolean flag(Param param) {
        return Boolean.TRUE.equals(values.get(param));
    }

    private static Object convert(Param param, JsonNode value, String field) {
        return switch (param.kind()) {
            case STRING -> {
                if (!value.isTextual()) {
                    throw invalid(field, "must be a string");
                }
                if (value.asText().length() > param.max()) {
                    throw invalid(field, "must be at most " + (long) param.max() + " characters");
                }
                yield value.asText();
            }
            case INTEGER -> {
                if (!value.isIntegralNumber() || value.asDouble() < param.min() || value.asDouble() > param.max()) {
                    throw invalid(field, "must be an integer from " + (long) param.min() + " to " + (long) param.max());
                }
                yield value.asLong();
            }
            case NUMBER -> {
                if (!value.isNumber() || value.asDouble() < param.min() || value.asDouble() > param.max()) {
                    throw invalid(field, "must be a number from " + param.min() + " to " + param.max());
                }
                yield value.asDouble();
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw invalid(field, "must be true or false");
                }
                yield value.asBoolean();
            }
            case CHOICE -> {
                if (!value.isTextual() || !param.choices().contains(value.asText())) {
                    throw invalid(field, "must be one of " + String.join(", ", param.choices()));
                }
                yield value.asText();
            }
            case CHOICE_INTEGER -> {
                if (!value.isIntegralNumber() || !param.choices().contains(value.asText())) {
                    throw invalid(field, "must be one of " + String.join(", ", param.choices()));
                }
                yield value.asLong();
            }
        };
    }

    private static Object normalise(Param param, Object stored) {
        return switch (param.kind()) {
            case INTEGER, CHOICE_INTEGER -> ((Number) stored).longValue();
            case NUMBER -> ((Number) stored).doubleValue();
            default -> stored;
        };
    }

    private static VisageException invalid(String field, String message) {
        return new VisageException(ErrorCode.INVALID_PARAM, field + " " + message, field);
    }
}
