package app.visage.bench;

import app.visage.bench.Results.Stats;
import java.util.function.IntConsumer;

/**
 * Times a benchmark side by side with its floor: warm-up rounds of both, then {@code n} pairs, each pair
 * one run of the benchmark and one of the floor, back to back (the order alternating from pair to pair,
 * so neither always runs on a cache the other warmed). Noise on a busy machine then hits both halves of
 * a pair alike, and the median of the per-pair ratios is the figure to compare with a target.
 */
public final class Paired {

    /** The times of both halves (ms) and the per-pair ratios benchmark / floor. */
    public record Result(Stats subject, Stats floor, Stats ratio) {}

    private Paired() {}

    /**
     * @param subject the benchmark; gets the iteration number (negative during warm-up)
     * @param floor   what it is compared with; gets the same number
     */
    public static Result run(int warmup, int n, IntConsumer subject, IntConsumer floor) {
        return run(warmup, n, subject, floor, () -> {});
    }

    /** As {@link #run(int, int, IntConsumer, IntConsumer)}, with {@code between} run untimed after every pair (clean-up). */
    public static Result run(int warmup, int n, IntConsumer subject, IntConsumer floor, Runnable between) {
        for (int i = 0; i < warmup; i++) {
            subject.accept(-1 - i);
            floor.accept(-1 - i);
            between.run();
        }
        double[] a = new double[n];
        double[] f = new double[n];
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                a[i] = time(subject, i);
                f[i] = time(floor, i);
            } else {
                f[i] = time(floor, i);
                a[i] = time(subject, i);
            }
            r[i] = a[i] / f[i];
            between.run();
        }
        return new Result(Stats.of(a), Stats.of(f), Stats.of(r));
    }

    /** Milliseconds one call takes. */
    public static double time(IntConsumer action, int i) {
        long start = System.nanoTime();
        action.accept(i);
        return (System.nanoTime() - start) / 1e6;
    }

    /** Milliseconds one call takes. */
    public static double time(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e6;
    }
}
