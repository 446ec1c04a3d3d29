package app.visage.providers.local.engine;

import app.visage.providers.local.engine.FaceReport.ColorEstimate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures skin and hair colour from patches placed in the face's own frame: the eye line gives the
 * "right" axis u, its perpendicular the "down" axis v, and the eye distance d the scale (so patches follow
 * the face's size and roll). Colours are compared with {@link #difference}, which weighs chroma fully and
 * brightness a quarter, since shading and highlights change brightness across one skin or head of hair.
 *
 * <ul>
 *   <li>Skin: both cheeks (below the eyes) and the forehead (above them). The forehead joins only if it
 *       agrees with the cheeks (bangs often cover it). Confidence = share of patch pixels close to the
 *       robust colour (uniformity), times the two cheeks' agreement, times how close the colour lies to the
 *       usual skin chroma range (YCbCr), so odd lighting or a colour cast lowers it.
 *   <li>Hair: a band above the forehead, checked against strips beside the temples. Reported only when the
 *       band is fairly uniform, looks like hair (black, grey, white, or red through brown to blond), is not
 *       the skin (bald head or bare forehead) and is not the background further up (short hair). A hat
 *       shows as a band that is mottled (badges, trim), unlike hair, or unlike the hair both temples agree
 *       on: no estimate then. Confidence = band uniformity, times 1 when a temple agrees with the band and
 *       0.6 when neither can confirm it.
 *   <li>A grayscale photo (next to no chroma anywhere) gives neither: its grey says nothing about colour.
 * </ul>
 * Estimates under {@value #MIN_CONFIDENCE} confidence are dropped as "cannot tell".
 */
final class FaceColors {

    static final double MIN_CONFIDENCE = 0.2;
    /** 99th-percentile chroma (max-min of R, G, B) under which a photo counts as grayscale. */
    static final int GRAYSCALE_CHROMA = 16;

    record Estimates(ColorEstimate skin, ColorEstimate hair) {}

    private FaceColors() {}

    static Estimates measure(Pixels px, Face face) {
        if (grayscale(px)) {
            return new Estimates(null, null);
        }
        Frame f = Frame.of(face);
        if (f == null) {
            return new Estimates(null, null);
        }
        Robust skin = skin(px, f);
        ColorEstimate skinEstimate = skin == null ? null : estimate(skin.color, skin.confidence);
        Robust hair = hair(px, f, skin);
        ColorEstimate hairEstimate = hair == null ? null : estimate(hair.color, hair.confidence);
        return new Estimates(skinEstimate, hairEstimate);
    }

    private static Robust skin(Pixels px, Frame f) {
        Robust rightCheek = robust(f.patch(px, f.rightEye, 0.05, 0.6, 0.35, 0.3));
        Robust leftCheek = robust(f.patch(px, f.leftEye, -0.05, 0.6, 0.35, 0.3));
        Robust forehead = robust(f.patch(px, f.mid, 0, -0.55, 0.7, 0.25));
        if (rightCheek == null || leftCheek == null) {
            return null;
        }
        List<int[]> pixels = new ArrayList<>(rightCheek.inliers);
        pixels.addAll(leftCheek.inliers);
        if (forehead != null && difference(forehead.color, mean(pixels)) < 12) {
            pixels.addAll(forehead.inliers);
        }
        Robust skin = robust(pixels);
        if (skin == null) {
            return null;
        }
        double agreement = clamp01(1 - difference(rightCheek.color, leftCheek.color) / 40);
        double confidence = skin.uniformity * agreement * skinPlausibility(skin.color) * exposure(skin.color);
        return skin.withConfidence(confidence);
    }

    private static Robust hair(Pixels px, Frame f, Robust skin) {
        Robust band = robust(f.patch(px, f.mid, 0, -1.45, 1.0, 0.35));
        if (band == null || band.uniformity < 0.4 || !hairLike(band.color)) {
            return null;
        }
        if (skin != null && sameAs(band.color, skin.color)) {
            return null;
        }
        Robust above = robust(f.patch(px, f.mid, 0, -2.5, 1.0, 0.3));
        if (above != null && difference(above.color, band.color) < 8) {
            return null;
        }
        // Strips beside the temples, from eye level up to the band.
        Robust right = robust(f.patch(px, f.rightEye, -0.7, -0.5, 0.3, 0.9));
        Robust left = robust(f.patch(px, f.leftEye, 0.7, -0.5, 0.3, 0.9));
        boolean rightAgrees = right != null && difference(right.color, band.color) <= 30;
        boolean leftAgrees = left != null && difference(left.color, band.color) <= 30;
        if (!rightAgrees
                && !leftAgrees
                && right != null
                && left != null
                && hairLike(right.color)
                && hairLike(left.color)
                && difference(right.color, left.color) <= 20
                && (skin == null || !sameAs(right.color, skin.color))) {
            return null; // the temples agree on a hair colour the band does not show: covered (a hat)
        }
        List<int[]> pixels = new ArrayList<>(band.inliers);
        if (rightAgrees) {
            pixels.addAll(right.inliers);
        }
        if (leftAgrees) {
            pixels.addAll(left.inliers);
        }
        Robust hair = robust(pixels);
        return hair == null ? null : hair.withConfidence(band.uniformity * (rightAgrees || leftAgrees ? 1 : 0.6));
    }

    /** The same surface under different light: near-identical chroma, brightness within a shading step. */
    private static boolean sameAs(int[] a, int[] b) {
        double[] ya = ycbcr(a);
        double[] yb = ycbcr(b);
        return Math.hypot(ya[1] - yb[1], ya[2] - yb[2]) < 8 && Math.abs(ya[0] - yb[0]) < 40;
    }

    /** Whether the photo has next to no chroma: checked on a sparse grid, enough for a global statistic. */
    static boolean grayscale(Pixels px) {
        int step = Math.max(1, (int) Math.sqrt((double) px.width() * px.height() / 40_000));
        int[] histogram = new int[256];
        int n = 0;
        for (int y = 0; y < px.height(); y += step) {
            for (int x = 0; x < px.width(); x += step) {
                int p = px.at(x, y);
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                histogram[Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b))]++;
                n++;
            }
        }
        int limit = (int) Math.ceil(n * 0.99);
        int seen = 0;
        for (int c = 0; c < 256; c++) {
            seen += histogram[c];
            if (seen >= limit) {
                return c < GRAYSCALE_CHROMA;
            }
        }
        return false;
    }

    private static ColorEstimate estimate(int[] rgb, double confidence) {
        if (confidence < MIN_CONFIDENCE) {
            return null;
        }
        String hex = String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
        return new ColorEstimate(hex, Math.round(confidence * 100) / 100.0);
    }

    /**
     * 1 inside the classic skin chroma box (Cb 77..127, Cr 133..173; Chai and Ngan), falling to 0 at 20
     * units outside it; covers light to dark skin under ordinary light.
     */
    static double skinPlausibility(int[] rgb) {
        double[] y = ycbcr(rgb);
        double cb = y[1];
        double cr = y[2];
        double dcb = Math.max(0, Math.max(77 - cb, cb - 127));
        double dcr = Math.max(0, Math.max(133 - cr, cr - 173));
        return clamp01(1 - Math.hypot(dcb, dcr) / 20);
    }

    /** Crushed shadows and blown highlights carry no colour. */
    private static double exposure(int[] rgb) {
        double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        return luma < 25 || luma > 245 ? 0 : 1;
    }

    /**
     * Natural hair: black, grey or white (little saturation, or too dark for hue to mean anything), or a
     * warm hue from red through brown to blond (hue up to 55 degrees or from 340).
     */
    static boolean hairLike(int[] rgb) {
        int max = Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
        int min = Math.min(rgb[0], Math.min(rgb[1], rgb[2]));
        double saturation = max == 0 ? 0 : (max - min) / (double) max;
        if (max < 50 || saturation < 0.2) {
            return true;
        }
        double hue = hue(rgb, max, min);
        return hue <= 55 || hue >= 340;
    }

    private static double hue(int[] rgb, int max, int min) {
        double d = max - min;
        if (d == 0) {
            return 0;
        }
        double h;
        if (max == rgb[0]) {
            h = ((rgb[1] - rgb[2]) / d) % 6;
        } else if (max == rgb[1]) {
            h = (rgb[2] - rgb[0]) / d + 2;
        } else {
            h = (rgb[0] - rgb[1]) / d + 4;
        }
        h *= 60;
        return h < 0 ? h + 360 : h;
    }

    /**
     * A patch's colour: the per-channel median, then the mean of the pixels near it (outliers such as
     * eyebrows, glasses or a strand of hair dropped). Uniformity is the share of pixels within 15 units of
     * the median: a mottled patch (edges, a badge, hair against background) scores low.
     */
    record Robust(int[] color, double uniformity, List<int[]> inliers, double confidence) {

        Robust withConfidence(double c) {
            return new Robust(color, uniformity, inliers, c);
        }
    }

    static Robust robust(List<int[]> pixels) {
        if (pixels.size() < 4) {
            return null;
        }
        int[] median = new int[3];
        int[] channel = new int[pixels.size()];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] = pixels.get(i)[c];
            }
            Arrays.sort(channel);
            median[c] = channel[channel.length / 2];
        }
        double[] distances = new double[pixels.size()];
        for (int i = 0; i < distances.length; i++) {
            distances[i] = difference(pixels.get(i), median);
        }
        double[] sorted = distances.clone();
        Arrays.sort(sorted);
        double limit = Math.max(8, 2.5 * sorted[sorted.length / 2]);
        List<int[]> inliers = new ArrayList<>();
        int close = 0;
        for (int i = 0; i < distances.length; i++) {
            if (distances[i] <= limit) {
                inliers.add(pixels.get(i));
            }
            if (distances[i] <= 15) {
                close++;
            }
        }
        return new Robust(mean(inliers), (double) close / distances.length, inliers, 0);
    }

    private static int[] mean(List<int[]> pixels) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int[] p : pixels) {
            r += p[0];
            g += p[1];
            b += p[2];
        }
        int n = Math.max(1, pixels.size());
        return new int[] {
            (int) Math.round((double) r / n), (int) Math.round((double) g / n), (int) Math.round((double) b / n)
        };
    }

    /** Colour difference in YCbCr units: chroma counts fully, brightness (Y) a quarter. */
    static double difference(int[] a, int[] b) {
        double[] ya = ycbcr(a);
        double[] yb = ycbcr(b);
        double dy = 0.25 * (ya[0] - yb[0]);
        return Math.sqrt(dy * dy + (ya[1] - yb[1]) * (ya[1] - yb[1]) + (ya[2] - yb[2]) * (ya[2] - yb[2]));
    }

    private static double[] ycbcr(int[] rgb) {
        return new double[] {
            0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2],
            128 - 0.168736 * rgb[0] - 0.331264 * rgb[1] + 0.5 * rgb[2],
            128 + 0.5 * rgb[0] - 0.418688 * rgb[1] - 0.081312 * rgb[2]
        };
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** The face's own axes from its eyes; null when the eyes coincide (a degenerate detection). */
    private record Frame(double[] rightEye, double[] leftEye, double[] mid, double ux, double uy, double d) {

        static Frame of(Face face) {
            Point r = face.keypoints().get(Face.RIGHT_EYE);
            Point l = face.keypoints().get(Face.LEFT_EYE);
            double dx = l.x() - r.x();
            double dy = l.y() - r.y();
            double d = Math.hypot(dx, dy);
            if (d < 2) {
                return null;
            }
            return new Frame(
                    new double[] {r.x(), r.y()},
                    new double[] {l.x(), l.y()},
                    new double[] {(r.x() + l.x()) / 2, (r.y() + l.y()) / 2},
                    dx / d,
                    dy / d,
                    d);
        }

        /**
         * The pixels of a patch centred at {@code anchor + (du*u + dv*v)*d}, {@code w x h} eye distances,
         * sampled on a grid of at most 24 x 24; points off the picture are skipped.
         */
        List<int[]> patch(Pixels px, double[] anchor, double du, double dv, double w, double h) {
            // v, "down" the face, is u turned a quarter clockwise (image y grows downwards).
            double vx = -uy;
            double vy = ux;
            double cx = anchor[0] + (du * ux + dv * vx) * d;
            double cy = anchor[1] + (du * uy + dv * vy) * d;
            int nu = (int) Math.max(2, Math.min(24, Math.round(w * d)));
            int nv = (int) Math.max(2, Math.min(24, Math.round(h * d)));
            List<int[]> out = new ArrayList<>(nu * nv);
            for (int j = 0; j < nv; j++) {
                double t = ((j + 0.5) / nv - 0.5) * h * d;
                for (int i = 0; i < nu; i++) {
                    double s = ((i + 0.5) / nu - 0.5) * w * d;
                    int x = (int) Math.floor(cx + s * ux + t * vx);
                    int y = (int) Math.floor(cy + s * uy + t * vy);
                    if (x < 0 || y < 0 || x >= px.width() || y >= px.height()) {
                        continue;
                    }
                    int p = px.at(x, y);
                    out.add(new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF});
                }
            }
            return out;
        }
    }
}
