package app.visage.providers.local.engine;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.images.ImageFormat;
import app.visage.images.ImageHeader;
import app.visage.images.ImageInspector;
import app.visage.images.OutputFormat;
import app.visage.support.TestPhotos;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageEncoderTest {

    private final ImageEncoder encoder = new ImageEncoder();
    private final ImageInspector inspector = new ImageInspector();

    @Test
    void pngIsLossless() {
        BufferedImage image = TestPhotos.image("astronaut.jpg");
        byte[] png = encoder.encode(image, OutputFormat.PNG);
        assertThat(ImageFormat.sniff(png)).contains(ImageFormat.PNG);
        assertThat(TestPhotos.meanDifference(TestPhotos.read(png), image)).isZero();
    }

    @Test
    void jpegIsCloseAndTheRightSize() {
        BufferedImage image = TestPhotos.image("grace_hopper.jpg");
        byte[] jpeg = encoder.encode(image, OutputFormat.JPEG);
        assertThat(inspector.inspect(jpeg)).isEqualTo(new ImageHeader(ImageFormat.JPEG, 512, 600, 1));
        assertThat(TestPhotos.meanDifference(TestPhotos.read(jpeg), image)).isLessThan(4);
    }

    @Test
    void outputsCarryNoExifEvenWhenTheSourceHadGps() throws Exception {
        byte[] source = TestPhotos.bytes("grace_hopper_exif6.jpg");
        assertThat(metadata(source).getFirstDirectoryOfType(GpsDirectory.class)).isNotNull(); // the test's premise
        BufferedImage decoded = new ImageDecoder().decode(source, inspector.inspect(source), Integer.MAX_VALUE);
        for (OutputFormat format : OutputFormat.values()) {
            byte[] out = encoder.encode(decoded, format);
            Metadata m = metadata(out);
            assertThat(m.getFirstDirectoryOfType(ExifIFD0Directory.class))
                    .as(format.name())
                    .isNull();
            assertThat(m.getFirstDirectoryOfType(GpsDirectory.class))
                    .as(format.name())
                    .isNull();
            assertThat(new String(out, StandardCharsets.ISO_8859_1))
                    .doesNotContain("Exif")
                    .doesNotContain("eXIf");
        }
    }

    @Test
    void encodesImagesWithAlphaAsOpaqueJpeg() {
        BufferedImage argb = new BufferedImage(32, 16, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = argb.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 32, 16);
        g.dispose();
        byte[] jpeg = encoder.encode(argb, OutputFormat.JPEG);
        BufferedImage back = TestPhotos.read(jpeg);
        assertThat(back.getWidth()).isEqualTo(32);
        assertThat(back.getColorModel().hasAlpha()).isFalse();
        Color c = new Color(back.getRGB(16, 8));
        assertThat(c.getBlue()).isGreaterThan(230);
        assertThat(c.getRed()).isLessThan(25);
    }

    private static Metadata metadata(byte[] bytes) throws Exception {
        return ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
    }
}
