package app.visage.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark section's results: written as JSON to {@code bench/results/sections/<n>-<name>.json}
 * (bench/run merges them into {@code bench/results/latest.json}) and printed as a readable block.
 *
 * <pre>{@code
 * Results.section(1, "Submit overhead")              // file name from the title: 1-submit-overhead.json
 *         .name("submit")                             // or choose it: 1-submit.json
 *         .figure("data_uri_ms", Stats.of(samples))   // a Stats, a number, a string, or a map of those
 *         .ratio("data_uri", ratioStats)              // a Stats (its median is the ratio) or a number
 *         .target("median ratio <= 1.3")
 *         .met(true)                                  // null: nothing to meet (reported only)
 *         .notes("what the numbers mean, caveats")
 *         .write();                                   // writes the file and prints the block
 * }</pre>
 *
 * Times are in milliseconds and sizes in bytes unless a figure's name says otherwise ({@code _s},
 * {@code _mb}, {@code _per_s}). {@link Stats} carries the median, p90, min, max and n of samples. The
 * directory is the system property {@code bench.out} (the bench profile sets it), else
 * {@code bench/results/sections} under the working directory. No bench asserts anything: a missed
 * target is reported with {@code met: false}, never failed.
 */
public final class Results {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final int section;
    private final String title;
    private String name;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, Object> ratios = new LinkedHashMap<>();
    private String target;
    private Boolean met;
    private String notes;

    private Results(int section, String title) {
        this.section = section;
        this.title = title;
        this.name = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** Starts section {@code n} of the issue, e.g. {@code section(5, "Local engine")}. */
    public static Results section(int n, String title) {
        return new Results(n, title);
    }

    /** The file name's part after the number: {@code name("submit")} writes {@code 1-submit.json}. */
    public Results name(String fileName) {
        this.name = fileName;
        return this;
    }

    /** A measured figure: a {@link Stats}, a number, a string, a boolean, or a map/list of those. */
    public Results figure(String key, Object value) {
        figures.put(key, value instanceof Stats s ? s.toMap() : value);
        return this;
    }

    /** A ratio to its floor: a {@link Stats} of per-pair ratios (its median is the ratio) or a number. */
    public Results ratio(String key, Object value) {
        ratios.put(key, value instanceof Stats s ? s.toMap() : value);
        return this;
    }

    public Results target(String text) {
        this.target = text;
        return this;
    }

    /** Whether the target is met; null when the section has no target. */
    public Results met(Boolean value) {
        this.met = value;
        return this;
    }

    public Results notes(String text) {
        this.notes = text;
        return this;
    }

    /** The section as the JSON object written to its file. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("section", section);
        out.put("title", title);
        out.put("figures", figures);
        out.put("ratios", ratios);
        out.put("target", target);
        out.put("met", met);
        out.put("notes", notes);
        return out;
    }

    /** Writes {@code <dir>/<n>-<name>.json} and prints the section; answers the file written. */
    public Path write() {
        Path dir = Path.of(System.getProperty("bench.out", "bench/results/sections"));
        Path file = dir.resolve(section + "-" + name + ".json");
        try {
            Files.createDirectories(dir);
            Files.write(file, JSON.writeValueAsBytes(toMap()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(render());
        System.out.flush();
        return file;
    }

    /** The readable block printed for this section. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("\n==== ").append(section).append(". ").append(title).append(" ====\n");
        figures.forEach((k, v) ->
                out.append("  ").append(k).append(": ").append(format(v)).append('\n'));
        ratios.forEach((k, v) ->
                out.append("  RATIO ").append(k).append(": ").append(format(v)).append('\n'));
        if (target != null) {
            out.append("  target: ")
                    .append(target)
                    .append(" -> ")
                    .append(met == null ? "reported only" : met ? "MET" : "NOT MET")
                    .append('\n');
        }
        if (notes != null) {
            out.append("  notes: ").append(notes).append('\n');
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static String format(Object v) {
        if (v instanceof Map<?, ?> m && m.containsKey("median") && m.containsKey("n")) {
            return String.format(
                    Locale.ROOT,
                    "median %s, p90 %s, min %s, max %s (n=%s)",
                    number(m.get("median")),
                    number(m.get("p90")),
                    number(m.get("min")),
                    number(m.get("max")),
                    m.get("n"));
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            ((Map<String, Object>) m)
                    .forEach((k, x) -> sb.append(sb.length() > 1 ? ", " : "")
                            .append(k)
                            .append('=')
                            .append(format(x)));
            return sb.append('}').toString();
        }
        return number(v);
    }

    private static String number(Object v) {
        if (v instanceof Double d) {
            return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.1f", d) : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }

    /** Median, p90, min, max and count of samples (nearest-rank percentiles). */
    public record Stats(double median, double p90, double min, double max, int n) {

        public static Stats of(double... samples) {
            if (samples.length == 0) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double[] s = samples.clone();
            Arrays.sort(s);
            return new Stats(
                    median(s),
                    s[Math.min(s.length - 1, (int) Math.ceil(0.9 * s.length) - 1)],
                    s[0],
                    s[s.length - 1],
                    s.length);
        }

        public static Stats of(Collection<? extends Number> samples) {
            return of(samples.stream().mapToDouble(Number::doubleValue).toArray());
        }

        private static double median(double[] sorted) {
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("median", round(median));
            m.put("p90", round(p90));
            m.put("min", round(min));
            m.put("max", round(max));
            m.put("n", n);
            return m;
        }

        private static double round(double v) {
            return Double.isFinite(v) ? Math.round(v * 10000.0) / 10000.0 : v;
        }
    }
}
