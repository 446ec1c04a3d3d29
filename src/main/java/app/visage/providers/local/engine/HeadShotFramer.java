package app.visage.providers.local.engine;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Frames a head-and-shoulders portrait around a detected face and renders it at the requested size.
 *
 * <p>The BlazeFace box spans roughly brows to chin and cheek to cheek; the hair rises about half a box
 * above it. The nominal crop has the requested aspect ratio and is the larger of: the face box
 * {@value #FACE_WIDTH_SHARE} of the crop's width, or {@value #FACE_HEIGHT_SHARE} of its height. The face is
 * centred horizontally and its box top sits {@value #HEADROOM} box heights below the crop's top, which
 * leaves room for the hair and a little air, and puts the face in the upper half with the shoulders below.
 *
 * <p>Near the photo's edges: the crop may shrink (down to {@value #MIN_SHRINK} of nominal) to keep the face
 * centred inside the left/right edges and its headroom inside the top edge; if that is not enough it shifts
 * sideways and, at the top, downwards (less headroom). Only when the photo is narrower than any sensible
 * crop does it shrink further. Below the photo's bottom (a face near the bottom edge) the canvas is
 * extended downwards from the photo's last row, blurred more the further down it goes: the clothing
 * continues in its own colours and fades smooth, rather than a band of foreign colour or hard streaks.
 * Sideways overflow, where unavoidable, repeats the side columns.
 */
final class HeadShotFramer {

    static final double FACE_WIDTH_SHARE = 0.40;
    static final double FACE_HEIGHT_SHARE = 0.32;
    static final double HEADROOM = 0.75;
    static final double MIN_SHRINK = 0.7;
    /** A crop never gets narrower than this many face-box widths, however narrow the photo. */
    static final double MIN_FACE_MARGIN = 1.2;

    /** A crop in source pixels; it may reach past the photo's bottom (and, rarely, its sides). */
    record Crop(int x, int y, int width, int height) {}

    private HeadShotFramer() {}

    static Crop frame(Box face, int imageWidth, int imageHeight, int outWidth, int outHeight) {
        double aspect = (double) outWidth / outHeight;
        double fw = face.width();
        double fh = face.height();
        double w0 = Math.max(fw / FACE_WIDTH_SHARE, aspect * fh / FACE_HEIGHT_SHARE);
        double h0 = w0 / aspect;
        double cx = face.centerX();

        // Shrink to stay centred inside the sides and keep the headroom inside the top, within limits.
        double room = Math.min(cx, imageWidth - cx);
        double k = Math.min(1, 2 * room / w0);
        k = Math.min(k, Math.max(0, face.y()) / (HEADROOM * fh));
        k = Math.max(MIN_SHRINK, k);
        // A photo narrower than the crop: shrink to its width, as long as the face keeps some margin.
        if (w0 * k > imageWidth) {
            k = Math.max(imageWidth / w0, MIN_FACE_MARGIN * fw / w0);
        }
        double w = w0 * k;
        double h = h0 * k;

        double x = cx - w / 2;
        if (w <= imageWidth) {
            x = Math.max(0, Math.min(imageWidth - w, x));
        }
        double y = Math.max(0, face.y() - HEADROOM * fh * k);
        int iw = Math.max(1, (int) Math.round(w));
        int ih = Math.max(1, (int) Math.round(h));
        return new Crop((int) Math.round(x), (int) Math.round(y), iw, ih);
    }

    /**
     * Cuts the crop out and resizes it to the output size in one resampling pass (rows below the photo come
     * out as copies of its last row), then softens that extension: each row further down is a wider
     * horizontal blur of the edge row, so the clothing fades into its own colours instead of streaks.
     */
    static BufferedImage render(Pixels source, Crop crop, int outWidth, int outHeight) {
        BufferedImage out =
                Resampler.resize(source, crop.x(), crop.y(), crop.width(), crop.height(), outWidth, outHeight);
        double edge = (double) (source.height() - crop.y()) * outHeight / crop.height();
        if (edge < outHeight) {
            softenExtension(out, Math.max(1, (int) Math.floor(edge)));
        }
        return out;
    }

    private static void softenExtension(BufferedImage out, int edge) {
        int w = out.getWidth();
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int source = edge - 1; // the last output row drawn from inside the photo
        long[][] prefix = new long[3][w + 1];
        for (int x = 0; x < w; x++) {
            int p = px[source * w + x];
            prefix[0][x + 1] = prefix[0][x] + ((p >> 16) & 0xFF);
            prefix[1][x + 1] = prefix[1][x] + ((p >> 8) & 0xFF);
            prefix[2][x + 1] = prefix[2][x] + (p & 0xFF);
        }
        for (int y = edge; y < out.getHeight(); y++) {
            int radius = Math.min(w / 4, y - source);
            for (int x = 0; x < w; x++) {
                int lo = Math.max(0, x - radius);
                int hi = Math.min(w, x + radius + 1);
                int n = hi - lo;
                int r = (int) ((prefix[0][hi] - prefix[0][lo]) / n);
                int g = (int) ((prefix[1][hi] - prefix[1][lo]) / n);
                int b = (int) ((prefix[2][hi] - prefix[2][lo]) / n);
                px[y * w + x] = r << 16 | g << 8 | b;
            }
        }
    }
}
