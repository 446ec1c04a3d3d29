package app.visage.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the section files {@code bench/results/sections/<n>-<name>.json} (written through {@link Results}), each
 * {@code {"section", "title", "figures", "ratios", "target", "met", "notes"}}, in the directory of
 * the system property {@code bench.out} (the bench profile sets it), else
 * {@code bench/results/sections}. Sample sets are written as {@code {median, p90, min, max, n}}
 * (nearest-rank p90). Times are in milliseconds unless a key says otherwise.
 */
final class SectionFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SectionFiles() {}

    static Path dir() {
        return Path.of(System.getProperty("bench.out", "bench/results/sections"));
    }

    /** Median, p90, min, max and n of {@code samples}, each rounded to 0.1. */
    static Map<String, Object> stats(double... samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.length == 0) {
            m.put("n", 0);
            return m;
        }
        int n = s.length;
        m.put("median", round(n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2));
        m.put("p90", round(s[Math.min(n - 1, (int) Math.ceil(0.9 * n) - 1)]));
        m.put("min", round(s[0]));
        m.put("max", round(s[n - 1]));
        m.put("n", n);
        return m;
    }

    static double median(Map<String, Object> stats) {
        Object v = stats.get("median");
        return v instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10.0) / 10.0 : v;
    }

    /** Writes the section and prints it, through {@link Results}; answers the file. */
    static Path write(
            int section,
            String name,
            String title,
            Map<String, Object> figures,
            Map<String, Object> ratios,
            String target,
            Boolean met,
            String notes) {
        Results results = Results.section(section, title)
                .name(name)
                .target(target)
                .met(met)
                .notes(notes);
        figures.forEach(results::figure);
        ratios.forEach(results::ratio);
        return results.write();
    }

    /** Every section file present, by section number (the first file of a number wins). */
    static Map<Integer, Map<String, Object>> readAll() {
        Map<Integer, Map<String, Object>> sections = new TreeMap<>();
        if (!Files.isDirectory(dir())) {
            return sections;
        }
        try (Stream<Path> files = Files.list(dir())) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("\\d+-.*\\.json"))
                    .sorted()
                    .toList()) {
                Map<String, Object> section =
                        JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
                section.put("_file", file.getFileName().toString());
                Object n = section.get("section");
                if (n instanceof Number number) {
                    sections.putIfAbsent(number.intValue(), section);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sections;
    }
}
