package app.visage.providers.local.engine;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Turns stored pixels upright per an EXIF orientation (1..8), which ImageIO itself ignores. */
final class Orientation {

    private Orientation() {}

    /** {@code src} must be TYPE_INT_RGB; orientation 1 returns it unchanged. */
    static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int ws = src.getWidth();
        int hs = src.getHeight();
        boolean swap = orientation >= 5;
        int wd = swap ? hs : ws;
        int hd = swap ? ws : hs;
        int[] in = pixels(src);
        BufferedImage out = new BufferedImage(wd, hd, BufferedImage.TYPE_INT_RGB);
        int[] o = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int sy = 0; sy < hs; sy++) {
            int row = sy * ws;
            for (int sx = 0; sx < ws; sx++) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> {
                        dx = ws - 1 - sx;
                        dy = sy;
                    }
                    case 3 -> {
                        dx = ws - 1 - sx;
                        dy = hs - 1 - sy;
                    }
                    case 4 -> {
                        dx = sx;
                        dy = hs - 1 - sy;
                    }
                    case 5 -> {
                        dx = sy;
                        dy = sx;
                    }
                    case 6 -> {
                        dx = hs - 1 - sy;
                        dy = sx;
                    }
                    case 7 -> {
                        dx = hs - 1 - sy;
                        dy = ws - 1 - sx;
                    }
                    default -> {
                        dx = sy;
                        dy = ws - 1 - sx;
                    } // 8
                }
                o[dy * wd + dx] = in[row + sx];
            }
        }
        return out;
    }

    private static int[] pixels(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB
                && img.getRaster().getDataBuffer() instanceof DataBufferInt db
                && img.getRaster().getSampleModelTranslateX() == 0
                && img.getRaster().getSampleModelTranslateY() == 0
                && db.getData().length == img.getWidth() * img.getHeight()) {
            return db.getData();
        }
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
