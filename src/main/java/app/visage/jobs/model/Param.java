package app.visage.jobs.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every job parameter Visage knows, with the names and limits of the provider documents. A
 * provider declares which of these it takes per operation; anything else is refused by name.
 */
public enum Param {
    PROMPT(Kind.STRING, 0, 2000),
    NEGATIVE_PROMPT(Kind.STRING, 0, 2000),
    WIDTH(Kind.INTEGER, 64, 512),
    HEIGHT(Kind.INTEGER, 64, 768),
    SAMPLES(Kind.INTEGER, 1, 2),
    NUM_INFERENCE_STEPS(Kind.CHOICE_INTEGER, List.of("21", "31", "41")),
    GUIDANCE_SCALE(Kind.NUMBER, 1, 20),
    S_SCALE(Kind.NUMBER, 0, 2),
    STYLE(Kind.CHOICE, List.of("comic", "chibi", "3d", "anime", "realistic")),
    SAFETY_CHECKER(Kind.BOOLEAN, 0, 0),
    SAFETY_CHECKER_TYPE(Kind.CHOICE, List.of("black", "blur", "sensitive_content_text", "pixelate")),
    ASPECT_RATIO(Kind.CHOICE, List.of("1:1", "4:5", "3:4", "2:3", "9:16")),
    OUTPUT_FORMAT(Kind.CHOICE, List.of("png", "jpeg")),
    SEED(Kind.INTEGER, 0, 4_294_967_295L),
    RETURN_BASE64(Kind.BOOLEAN, 0, 0);

    public enum Kind {
        STRING,
        INTEGER,
        NUMBER,
        BOOLEAN,
        CHOICE,
        CHOICE_INTEGER
    }

    private final Kind kind;
    private final double min;
    private final double max;
    private final List<String> choices;

    Param(Kind kind, double min, double max) {
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.choices = List.of();
    }

    Param(Kind kind, List<String> choices) {
        this.kind = kind;
        this.min = 0;
        this.max = 0;
        this.choices = choices;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Kind kind() {
        return kind;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public List<String> choices() {
        return choices;
    }

    public static Optional<Param> byWire(String name) {
        for (Param p : values()) {
            if (p.wire().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
