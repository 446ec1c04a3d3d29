package app.visage.providers.local.engine;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Packed 0xRRGGBB pixels with their size: the engine's working view of a picture, shared without copying. */
record Pixels(int[] rgb, int width, int height) {

    static Pixels of(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB
                && image.getRaster().getDataBuffer() instanceof DataBufferInt db
                && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0
                && db.getData().length == image.getWidth() * image.getHeight()) {
            return new Pixels(db.getData(), image.getWidth(), image.getHeight());
        }
        // Java2D's blit converts any layout to packed RGB far faster than getRGB; alpha is laid on white.
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return new Pixels(((DataBufferInt) rgb.getRaster().getDataBuffer()).getData(), rgb.getWidth(), rgb.getHeight());
    }

    int at(int x, int y) {
        return rgb[y * width + x];
    }

    /**
     * Samples the square {@code [x0, x0+side) x [y0, y0+side)} into an n x n NHWC float tensor in [-1, 1], as
     * BlazeFace expects. Shrinking averages every source pixel under an output pixel (a box filter, so small
     * faces are not lost to aliasing); enlarging interpolates bilinearly. Outside the picture is black, which
     * is how the square padding is done.
     */
    float[] squareTensor(double x0, double y0, double side, int n) {
        float[] out = new float[n * n * 3];
        double scale = side / n;
        if (scale >= 1) {
            int[] xs = new int[n + 1];
            int[] ys = new int[n + 1];
            for (int i = 0; i <= n; i++) {
                xs[i] = (int) Math.round(x0 + i * scale);
                ys[i] = (int) Math.round(y0 + i * scale);
            }
            for (int oy = 0; oy < n; oy++) {
                int ya = ys[oy];
                int yb = Math.max(ys[oy + 1], ya + 1);
                for (int ox = 0; ox < n; ox++) {
                    int xa = xs[ox];
                    int xb = Math.max(xs[ox + 1], xa + 1);
                    long r = 0;
                    long g = 0;
                    long b = 0;
                    int cya = Math.max(ya, 0);
                    int cyb = Math.min(yb, height);
                    int cxa = Math.max(xa, 0);
                    int cxb = Math.min(xb, width);
                    for (int y = cya; y < cyb; y++) {
                        int row = y * width;
                        for (int x = cxa; x < cxb; x++) {
                            int p = rgb[row + x];
                            r += (p >> 16) & 0xFF;
                            g += (p >> 8) & 0xFF;
                            b += p & 0xFF;
                        }
                    }
                    // Out-of-picture pixels count as black: they add nothing but still weigh in the average.
                    double count = (double) (yb - ya) * (xb - xa);
                    int o = (oy * n + ox) * 3;
                    out[o] = (float) (r / count / 127.5 - 1);
                    out[o + 1] = (float) (g / count / 127.5 - 1);
                    out[o + 2] = (float) (b / count / 127.5 - 1);
                }
            }
        } else {
            for (int oy = 0; oy < n; oy++) {
                double sy = y0 + (oy + 0.5) * scale - 0.5;
                for (int ox = 0; ox < n; ox++) {
                    double sx = x0 + (ox + 0.5) * scale - 0.5;
                    int o = (oy * n + ox) * 3;
                    bilinear(sx, sy, out, o);
                }
            }
        }
        return out;
    }

    private void bilinear(double sx, double sy, float[] out, int o) {
        int x = (int) Math.floor(sx);
        int y = (int) Math.floor(sy);
        double fx = sx - x;
        double fy = sy - y;
        double r = 0;
        double g = 0;
        double b = 0;
        for (int j = 0; j < 2; j++) {
            double wy = j == 0 ? 1 - fy : fy;
            for (int i = 0; i < 2; i++) {
                double w = (i == 0 ? 1 - fx : fx) * wy;
                int px = x + i;
                int py = y + j;
                if (w == 0 || px < 0 || py < 0 || px >= width || py >= height) {
                    continue;
                }
                int p = rgb[py * width + px];
                r += w * ((p >> 16) & 0xFF);
                g += w * ((p >> 8) & 0xFF);
                b += w * (p & 0xFF);
            }
        }
        out[o] = (float) (r / 127.5 - 1);
        out[o + 1] = (float) (g / 127.5 - 1);
        out[o + 2] = (float) (b / 127.5 - 1);
    }
}
