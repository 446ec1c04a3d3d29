package app.visage.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The benchmark photos, made at bench time from the committed test photos (src/test/resources/photos)
 * and never committed: scaled up to a number of megapixels or to a file size, with a little fixed-seed
 * sensor-like noise so they compress like camera photos rather than like smooth upscales.
 */
public final class BenchPhotos {
    /** The portrait every bench uses: one clear face, 512×512. */
    public static final String PORTRAIT = "astronaut.jpg";

    private static final float QUALITY = 0.9f;
    private static final int NOISE = 6;
    /** For photos of a given file size: denser, like a camera's full-quality JPEG (~1-2 bytes a pixel). */
    private static final float SIZED_QUALITY = 0.95f;

    private static final int SIZED_NOISE = 14;
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private BenchPhotos() {}

    /** {@code source} scaled (aspect kept) to about {@code megapixels}, JPEG at quality 0.9. */
    public static byte[] megapixels(String source, double megapixels) {
        return CACHE.computeIfAbsent(source + "@" + megapixels + "MP", k -> {
            BufferedImage src = read(source);
            double scale = Math.sqrt(megapixels * 1e6 / ((double) src.getWidth() * src.getHeight()));
            return encode(scaled(src, scale, NOISE), QUALITY);
        });
    }

    /** {@code source} scaled so that its JPEG (quality 0.95, more noise) is just under {@code bytes} (within 3%). */
    public static byte[] ofSize(String source, long bytes) {
        return CACHE.computeIfAbsent(source + "@" + bytes + "B", k -> {
            BufferedImage src = read(source);
            double pixels = 1e6;
            byte[] best = null;
            for (int attempt = 0; attempt < 8; attempt++) {
                double scale = Math.sqrt(pixels / ((double) src.getWidth() * src.getHeight()));
                byte[] jpeg = encode(scaled(src, scale, SIZED_NOISE), SIZED_QUALITY);
                if (jpeg.length <= bytes && jpeg.length >= bytes * 0.97) {
                    return jpeg;
                }
                if (jpeg.length <= bytes && (best == null || jpeg.length > best.length)) {
                    best = jpeg;
                }
                pixels *= (bytes * 0.985) / jpeg.length;
            }
            if (best == null) {
                throw new IllegalStateException("could not make a JPEG under " + bytes + " bytes");
            }
            return best;
        });
    }

    /** Width × height of a JPEG made here, for reports. */
    public static String dimensions(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            return image.getWidth() + "x" + image.getHeight()
                    + String.format(Locale.ROOT, " (%.2f MP)", image.getWidth() * (double) image.getHeight() / 1e6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage read(String name) {
        try (InputStream in = BenchPhotos.class.getResourceAsStream("/photos/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test photo " + name);
            }
            return ImageIO.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage scaled(BufferedImage src, double scale, int noise) {
        int w = Math.max(1, (int) Math.round(src.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(src.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        int[] row = new int[w];
        long seed = 0x9E3779B97F4A7C15L;
        for (int y = 0; y < h; y++) {
            out.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int q = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    seed ^= seed << 13;
                    seed ^= seed >>> 7;
                    seed ^= seed << 17;
                    int c = ((p >> shift) & 0xFF) + (int) Math.floorMod(seed, 2 * noise + 1) - noise;
                    q |= Math.max(0, Math.min(255, c)) << shift;
                }
                row[x] = q;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    private static byte[] encode(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }
}
