package app.visage.providers.local.engine;

import static app.visage.support.TestPhotos.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.ImageHeader;
import app.visage.images.ImageInspector;
import app.visage.images.WebpHeaders;
import app.visage.support.TestPhotos;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageInspector inspector = new ImageInspector();
    private final ImageDecoder decoder = new ImageDecoder();

    private BufferedImage decode(String name, int maxLongSide) {
        byte[] bytes = TestPhotos.bytes(name);
        return decoder.decode(bytes, inspector.inspect(bytes), maxLongSide);
    }

    @Test
    void fullDecodeGivesPackedRgbWithTheSamePixelsAsImageIo() {
        BufferedImage image = decode("astronaut.jpg", Integer.MAX_VALUE);
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(TestPhotos.meanDifference(image, TestPhotos.image("astronaut.jpg")))
                .isLessThan(0.5);
    }

    @Test
    void subsamplesLargePhotosToAtLeastTheAskedLongSide() {
        assertThat(size(decode("small_face_scene.jpg", 1000))).isEqualTo("1200x600"); // every 2nd pixel
        assertThat(size(decode("small_face_scene.jpg", 600))).isEqualTo("600x300"); // every 4th
        assertThat(size(decode("small_face_scene.jpg", 1300))).isEqualTo("2400x1200"); // 2 would undershoot
        assertThat(size(decode("small_face_scene.jpg", Integer.MAX_VALUE))).isEqualTo("2400x1200");
        assertThat(size(decode("astronaut.jpg", 100))).isEqualTo("103x103"); // ceil(512 / 5)
    }

    @Test
    void failsOnATruncatedJpegInsteadOfReturningGrey() {
        assertThat(codeOf(() -> decode("truncated.jpg", Integer.MAX_VALUE))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
        assertThat(codeOf(() -> decode("truncated.jpg", 200))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
    }

    @Test
    void failsOnATruncatedPng() {
        byte[] png = TestPhotos.png(TestPhotos.image("coffee.jpg"));
        byte[] cut = Arrays.copyOf(png, png.length / 2);
        ImageHeader header = inspector.inspect(cut);
        assertThat(codeOf(() -> decoder.decode(cut, header, Integer.MAX_VALUE))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
    }

    @Test
    void appliesExifOrientation() {
        BufferedImage turned = decode("grace_hopper_exif6.jpg", Integer.MAX_VALUE);
        assertThat(size(turned)).isEqualTo("512x600");
        // The same picture as the upright original, up to one more round of JPEG compression.
        assertThat(TestPhotos.meanDifference(turned, TestPhotos.image("grace_hopper.jpg")))
                .isLessThan(6);
        // Subsampled decodes are turned as well.
        assertThat(size(decode("grace_hopper_exif6.jpg", 300))).isEqualTo("256x300");
    }

    @Test
    void mapsAllEightOrientations() {
        // Stored 3x2:  a b c / d e f
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] abcdef = {1, 2, 3, 4, 5, 6};
        stored.setRGB(0, 0, 3, 2, abcdef, 0, 3);
        String[] expected = {
            null,
            "1 2 3/4 5 6",
            "3 2 1/6 5 4",
            "6 5 4/3 2 1",
            "4 5 6/1 2 3",
            "1 4/2 5/3 6",
            "4 1/5 2/6 3",
            "6 3/5 2/4 1",
            "3 6/2 5/1 4",
        };
        for (int o = 1; o <= 8; o++) {
            assertThat(layout(Orientation.apply(stored, o)))
                    .as("orientation %d", o)
                    .isEqualTo(expected[o]);
        }
    }

    @Test
    void laysTransparencyOnWhite() {
        BufferedImage argb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = argb.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 2, 4);
        g.dispose();
        byte[] png = TestPhotos.png(argb);
        BufferedImage rgb = decoder.decode(png, inspector.inspect(png), Integer.MAX_VALUE);
        assertThat(rgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(rgb.getRGB(3, 3) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void decodesGrayscaleToEqualChannels() {
        BufferedImage gray = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(3, 3, 0, 200);
        byte[] png = TestPhotos.png(gray);
        BufferedImage rgb = decoder.decode(png, inspector.inspect(png), Integer.MAX_VALUE);
        assertThat(rgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(rgb.getRGB(3, 3) & 0xFFFFFF).isEqualTo(0xC8C8C8);
        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0);
    }

    @Test
    void decodesHeicThroughLibheif() {
        assumeTrue(decoder.heifSupported(), "libheif's command-line decoder is not installed");
        BufferedImage image = decode("astronaut.heic", Integer.MAX_VALUE);
        assertThat(size(image)).isEqualTo("512x512");
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        // Encoded from astronaut.jpg at quality 60: close to it, not equal.
        assertThat(TestPhotos.meanDifference(image, TestPhotos.image("astronaut.jpg")))
                .isLessThan(8);
        assertThat(size(decode("astronaut.heic", 200))).isEqualTo("256x256");
    }

    @Test
    void corruptHeicIsUnreadable() {
        assumeTrue(decoder.heifSupported(), "libheif's command-line decoder is not installed");
        byte[] heic = TestPhotos.bytes("astronaut.heic");
        ImageHeader header = inspector.inspect(heic);
        byte[] cut = Arrays.copyOf(heic, heic.length / 2);
        assertThat(codeOf(() -> decoder.decode(cut, header, Integer.MAX_VALUE))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
    }

    @Test
    void heicWithoutLibheifIsUnsupportedAndSaysWhy() {
        ImageDecoder withoutTools = new ImageDecoder("");
        assertThat(withoutTools.heifSupported()).isFalse();
        byte[] heic = TestPhotos.bytes("astronaut.heic");
        try {
            withoutTools.decode(heic, inspector.inspect(heic), Integer.MAX_VALUE);
            throw new AssertionError("expected a failure");
        } catch (VisageException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
            assertThat(e.getMessage()).contains("libheif");
        }
    }

    @Test
    void webpWithoutAReaderIsUnsupportedAndSaysSo() {
        assumeFalse(ImageIO.getImageReadersByFormatName("webp").hasNext(), "a WebP ImageIO reader is installed");
        byte[] webp = WebpHeaders.vp8x(64, 64);
        try {
            decoder.decode(webp, inspector.inspect(webp), Integer.MAX_VALUE);
            throw new AssertionError("expected a failure");
        } catch (VisageException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
            assertThat(e.getMessage()).contains("WebP");
        }
    }

    private static String size(BufferedImage image) {
        return image.getWidth() + "x" + image.getHeight();
    }

    private static String layout(BufferedImage image) {
        StringBuilder s = new StringBuilder();
        for (int y = 0; y < image.getHeight(); y++) {
            if (y > 0) {
                s.append('/');
            }
            for (int x = 0; x < image.getWidth(); x++) {
                if (x > 0) {
                    s.append(' ');
                }
                s.append(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return s.toString();
    }
}
