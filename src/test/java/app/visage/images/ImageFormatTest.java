package app.visage.images;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.support.TestPhotos;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

    @Test
    void sniffsCommittedPhotosByTheirMagicBytes() {
        assertThat(ImageFormat.sniff(TestPhotos.bytes("astronaut.jpg"))).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.sniff(TestPhotos.bytes("bomb_60000x60000.png"))).contains(ImageFormat.PNG);
        assertThat(ImageFormat.sniff(TestPhotos.bytes("astronaut.heic"))).contains(ImageFormat.HEIC);
    }

    @Test
    void sniffsWebpFromItsRiffHeader() {
        assertThat(ImageFormat.sniff(WebpHeaders.vp8x(10, 10))).contains(ImageFormat.WEBP);
        byte[] wave = "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(ImageFormat.sniff(wave)).isEmpty();
    }

    @Test
    void heifNeedsAStillImageBrand() {
        assertThat(ImageFormat.sniff(ftyp("mif1", "heic"))).contains(ImageFormat.HEIC);
        assertThat(ImageFormat.sniff(ftyp("isom", "heix"))).contains(ImageFormat.HEIC); // compatible brand counts
        assertThat(ImageFormat.sniff(ftyp("isom", "mp41"))).isEmpty(); // an MP4 video
        assertThat(ImageFormat.sniff(ftyp("avif", "mif1"))).isEmpty(); // AVIF declares mif1 too, but is not HEIC
    }

    @Test
    void rejectsOtherAndDegenerateInput() {
        assertThat(ImageFormat.sniff(null)).isEmpty();
        assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
        assertThat(ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEmpty();
        assertThat(ImageFormat.sniff("GIF89a........".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
        assertThat(ImageFormat.sniff("<html><body>hi</body></html>".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
        assertThat(ImageFormat.sniff(Arrays.copyOf(new byte[] {'B', 'M'}, 64))).isEmpty();
    }

    @Test
    void namesMediaTypesAndExtensions() {
        assertThat(ImageFormat.JPEG.mediaType()).isEqualTo("image/jpeg");
        assertThat(ImageFormat.PNG.mediaType()).isEqualTo("image/png");
        assertThat(ImageFormat.HEIC.mediaType()).isEqualTo("image/heic");
        assertThat(ImageFormat.WEBP.mediaType()).isEqualTo("image/webp");
        assertThat(ImageFormat.JPEG.extension()).isEqualTo("jpg");
        assertThat(ImageFormat.HEIC.extension()).isEqualTo("heic");
        assertThat(OutputFormat.JPEG.mediaType()).isEqualTo("image/jpeg");
        assertThat(OutputFormat.PNG.extension()).isEqualTo("png");
    }

    private static byte[] ftyp(String major, String compatible) {
        byte[] b = new byte[24];
        b[3] = 24;
        System.arraycopy("ftyp".getBytes(StandardCharsets.US_ASCII), 0, b, 4, 4);
        System.arraycopy(major.getBytes(StandardCharsets.US_ASCII), 0, b, 8, 4);
        System.arraycopy(compatible.getBytes(StandardCharsets.US_ASCII), 0, b, 16, 4);
        System.arraycopy("isom".getBytes(StandardCharsets.US_ASCII), 0, b, 20, 4);
        return b;
    }
}
