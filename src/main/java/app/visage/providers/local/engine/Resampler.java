package app.visage.providers.local.engine;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;

/**
 * Image resizing for the engine: an integer box reduction for large factors, then a separable bicubic
 * (Catmull-Rom) whose kernel widens with the shrink factor, so shrinking averages every source pixel
 * (no aliasing) and enlarging interpolates smoothly. Source coordinates outside the picture are clamped to
 * its edge, which is what extends a head shot's canvas past the photo's border (edge replication).
 */
final class Resampler {

    private Resampler() {}

    /** Averages {@code factor x factor} blocks of the whole picture (a last partial block is dropped). */
    static Pixels boxReduce(Pixels src, int factor) {
        return boxReduce(src, 0, 0, src.width() / factor, src.height() / factor, factor);
    }

    /**
     * Averages the {@code factor x factor} blocks of the source rectangle starting at {@code (x, y)}, giving
     * {@code outWidth x outHeight} pixels; source pixels outside the picture repeat its edge.
     */
    static Pixels boxReduce(Pixels src, int x, int y, int outWidth, int outHeight, int factor) {
        int[] in = src.rgb();
        int[] out = new int[outWidth * outHeight];
        int[] columns = new int[outWidth * factor];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = Math.max(0, Math.min(src.width() - 1, x + i));
        }
        int area = factor * factor;
        int[] r = new int[outWidth];
        int[] g = new int[outWidth];
        int[] b = new int[outWidth];
        for (int oy = 0; oy < outHeight; oy++) {
            Arrays.fill(r, 0);
            Arrays.fill(g, 0);
            Arrays.fill(b, 0);
            for (int j = 0; j < factor; j++) {
                int row = Math.max(0, Math.min(src.height() - 1, y + oy * factor + j)) * src.width();
                int c = 0;
                for (int ox = 0; ox < outWidth; ox++) {
                    int sr = 0;
                    int sg = 0;
                    int sb = 0;
                    for (int i = 0; i < factor; i++) {
                        int p = in[row + columns[c++]];
                        sr += (p >> 16) & 0xFF;
                        sg += (p >> 8) & 0xFF;
                        sb += p & 0xFF;
                    }
                    r[ox] += sr;
                    g[ox] += sg;
                    b[ox] += sb;
                }
            }
            int orow = oy * outWidth;
            for (int ox = 0; ox < outWidth; ox++) {
                out[orow + ox] = (r[ox] / area) << 16 | (g[ox] / area) << 8 | (b[ox] / area);
            }
        }
        return new Pixels(out, outWidth, outHeight);
    }

    /**
     * Resamples the source rectangle {@code (x, y, width, height)} (which may reach past the picture) to
     * {@code outWidth x outHeight}.
     */
    static BufferedImage resize(Pixels src, int x, int y, int width, int height, int outWidth, int outHeight) {
        // Large shrink factors: box-reduce first so the bicubic pass stays a few taps wide.
        int factor = (int) Math.floor(Math.min((double) width / outWidth, (double) height / outHeight) / 2);
        if (factor >= 2) {
            int x0 = Math.floorDiv(x, factor);
            int y0 = Math.floorDiv(y, factor);
            int x1 = Math.floorDiv(x + width + factor - 1, factor);
            int y1 = Math.floorDiv(y + height + factor - 1, factor);
            Pixels region = boxReduce(src, x0 * factor, y0 * factor, x1 - x0, y1 - y0, factor);
            double sx = (double) (x - x0 * factor) / factor;
            double sy = (double) (y - y0 * factor) / factor;
            return bicubic(region, sx, sy, (double) width / factor, (double) height / factor, outWidth, outHeight);
        }
        return bicubic(src, x, y, width, height, outWidth, outHeight);
    }

    private static BufferedImage bicubic(
            Pixels src, double x, double y, double width, double height, int outWidth, int outHeight) {
        Taps cols = taps(x, width, outWidth, src.width());
        Taps rows = taps(y, height, outHeight, src.height());
        // Horizontal pass over just the rows the vertical pass will read.
        int firstRow = rows.first;
        int rowCount = rows.last - rows.first + 1;
        float[] tmp = new float[rowCount * outWidth * 3];
        int[] in = src.rgb();
        for (int j = 0; j < rowCount; j++) {
            int row = (firstRow + j) * src.width();
            int t = j * outWidth * 3;
            for (int i = 0; i < outWidth; i++) {
                float r = 0;
                float g = 0;
                float b = 0;
                int start = cols.start[i];
                for (int k = 0; k < cols.count[i]; k++) {
                    float w = cols.weights[i][k];
                    int p = in[row + cols.index[start + k]];
                    r += w * ((p >> 16) & 0xFF);
                    g += w * ((p >> 8) & 0xFF);
                    b += w * (p & 0xFF);
                }
                tmp[t++] = r;
                tmp[t++] = g;
                tmp[t++] = b;
            }
        }
        BufferedImage out = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        int[] o = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int j = 0; j < outHeight; j++) {
            int start = rows.start[j];
            for (int i = 0; i < outWidth; i++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = 0; k < rows.count[j]; k++) {
                    float w = rows.weights[j][k];
                    int t = ((rows.index[start + k] - firstRow) * outWidth + i) * 3;
                    r += w * tmp[t];
                    g += w * tmp[t + 1];
                    b += w * tmp[t + 2];
                }
                o[j * outWidth + i] = clamp(r) << 16 | clamp(g) << 8 | clamp(b);
            }
        }
        return out;
    }

    /** Per output sample: the source indices (clamped to the picture) and normalised kernel weights. */
    private record Taps(int[] start, int[] count, int[] index, float[][] weights, int first, int last) {}

    private static Taps taps(double origin, double length, int outLength, int sourceLength) {
        double scale = length / outLength;
        double support = 2 * Math.max(1, scale);
        int maxTaps = (int) Math.ceil(2 * support) + 2;
        int[] start = new int[outLength];
        int[] count = new int[outLength];
        int[] index = new int[outLength * maxTaps];
        float[][] weights = new float[outLength][];
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (int i = 0; i < outLength; i++) {
            double centre = origin + (i + 0.5) * scale;
            int lo = (int) Math.floor(centre - support);
            int hi = (int) Math.ceil(centre + support);
            float[] w = new float[hi - lo + 1];
            double sum = 0;
            int n = 0;
            start[i] = i * maxTaps;
            for (int s = lo; s <= hi && n < maxTaps; s++) {
                double k = catmullRom((s + 0.5 - centre) / Math.max(1, scale));
                if (k == 0) {
                    continue;
                }
                int clamped = Math.max(0, Math.min(sourceLength - 1, s));
                index[start[i] + n] = clamped;
                w[n++] = (float) k;
                sum += k;
                first = Math.min(first, clamped);
                last = Math.max(last, clamped);
            }
            for (int k = 0; k < n; k++) {
                w[k] /= (float) sum;
            }
            count[i] = n;
            weights[i] = w;
        }
        return new Taps(start, count, index, weights, first, last);
    }

    /** Keys' cubic with a = -0.5 (Catmull-Rom): sharp, with only slight overshoot. */
    private static double catmullRom(double x) {
        x = Math.abs(x);
        if (x < 1) {
            return (1.5 * x - 2.5) * x * x + 1;
        }
        if (x < 2) {
            return ((-0.5 * x + 2.5) * x - 4) * x + 2;
        }
        return 0;
    }

    private static int clamp(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }
}
