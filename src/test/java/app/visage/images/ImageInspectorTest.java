package app.visage.images;

import static app.visage.support.TestPhotos.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.support.TestPhotos;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector();

    @Test
    void readsJpegSizeAndDefaultOrientation() {
        assertThat(inspector.inspect(TestPhotos.bytes("astronaut.jpg")))
                .isEqualTo(new ImageHeader(ImageFormat.JPEG, 512, 512, 1));
        assertThat(inspector.inspect(TestPhotos.bytes("small_face_scene.jpg")))
                .isEqualTo(new ImageHeader(ImageFormat.JPEG, 2400, 1200, 1));
    }

    @Test
    void readsExifOrientationAndSwapsDisplaySize() {
        ImageHeader h = inspector.inspect(TestPhotos.bytes("grace_hopper_exif6.jpg"));
        assertThat(h).isEqualTo(new ImageHeader(ImageFormat.JPEG, 600, 512, 6));
        assertThat(h.displayWidth()).isEqualTo(512);
        assertThat(h.displayHeight()).isEqualTo(600);
        assertThat(h.pixels()).isEqualTo(600L * 512);
    }

    @Test
    void headerSizesAgreeWithImageIoOnEveryTestPhoto() throws Exception {
        for (String name : List.of(
                "astronaut.jpg",
                "camera.jpg",
                "chelsea.jpg",
                "coffee.jpg",
                "grace_hopper.jpg",
                "grace_hopper_exif6.jpg",
                "rocket.jpg",
                "small_face_scene.jpg",
                "two_people.jpg")) {
            byte[] bytes = TestPhotos.bytes(name);
            BufferedImage decoded = TestPhotos.read(bytes);
            ImageHeader header = inspector.inspect(bytes);
            assertThat(header.width()).as(name).isEqualTo(decoded.getWidth());
            assertThat(header.height()).as(name).isEqualTo(decoded.getHeight());
            byte[] png = TestPhotos.png(decoded);
            assertThat(inspector.inspect(png).width()).as(name + " as PNG").isEqualTo(decoded.getWidth());
        }
    }

    @Test
    void readsPngSize() {
        byte[] png = TestPhotos.png(TestPhotos.image("chelsea.jpg"));
        assertThat(inspector.inspect(png)).isEqualTo(new ImageHeader(ImageFormat.PNG, 451, 300, 1));
    }

    @Test
    void readsHeicSizeFromItsBoxes() {
        assertThat(inspector.inspect(TestPhotos.bytes("astronaut.heic")))
                .isEqualTo(new ImageHeader(ImageFormat.HEIC, 512, 512, 1));
    }

    @Test
    void readsWebpSizeFromEachKindOfFirstChunk() {
        assertThat(inspector.inspect(WebpHeaders.vp8x(3000, 2000)))
                .isEqualTo(new ImageHeader(ImageFormat.WEBP, 3000, 2000, 1));
        assertThat(inspector.inspect(WebpHeaders.vp8l(300, 200)))
                .isEqualTo(new ImageHeader(ImageFormat.WEBP, 300, 200, 1));
        assertThat(inspector.inspect(WebpHeaders.vp8(640, 480)))
                .isEqualTo(new ImageHeader(ImageFormat.WEBP, 640, 480, 1));
        assertThat(codeOf(() -> inspector.inspect(WebpHeaders.vp8x(9000, 9000))))
                .isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void rejectsAPixelBombFromItsHeaderAlone() {
        byte[] bomb = TestPhotos.bytes("bomb_60000x60000.png");
        assertThat(bomb.length).isLessThan(100);
        // A sub-100-byte file cannot hold 3.6 gigapixels: refused from its header, never decoded.
        assertThat(codeOf(() -> inspector.inspect(bomb))).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void rejectsAJpegClaimingAHugeFrame() {
        byte[] jpeg = TestPhotos.bytes("astronaut.jpg").clone();
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        jpeg[sof + 5] = (byte) 0xFD; // height 65000
        jpeg[sof + 6] = (byte) 0xE8;
        jpeg[sof + 7] = (byte) 0xFD; // width 65000
        jpeg[sof + 8] = (byte) 0xE8;
        assertThat(codeOf(() -> inspector.inspect(jpeg))).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void acceptsExactlyTheLimit() {
        assertThat(inspector.inspect(WebpHeaders.vp8x(8000, 5000)).pixels()).isEqualTo(ImageInspector.MAX_PIXELS);
        assertThat(codeOf(() -> inspector.inspect(WebpHeaders.vp8x(8000, 5001))))
                .isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void rejectsWhatIsNotOneOfTheFormats() {
        assertThat(codeOf(() -> inspector.inspect("GIF89a\1\0\1\0\0\0\0;".getBytes(StandardCharsets.ISO_8859_1))))
                .isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(codeOf(() -> inspector.inspect("hello, not an image".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(codeOf(() -> inspector.inspect(new byte[0]))).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void rejectsTruncatedHeadersAsUnreadable() {
        byte[] jpeg = TestPhotos.bytes("astronaut.jpg");
        assertThat(codeOf(() -> inspector.inspect(Arrays.copyOf(jpeg, 100)))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
        byte[] png = TestPhotos.bytes("bomb_60000x60000.png");
        assertThat(codeOf(() -> inspector.inspect(Arrays.copyOf(png, 20)))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
        byte[] heic = TestPhotos.bytes("astronaut.heic");
        assertThat(codeOf(() -> inspector.inspect(Arrays.copyOf(heic, 200)))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
        assertThat(codeOf(() -> inspector.inspect(Arrays.copyOf(WebpHeaders.vp8x(10, 10), 22))))
                .isEqualTo(ErrorCode.IMAGE_UNREADABLE);
    }

    @Test
    void aJpegCutInItsImageDataStillHasAReadableHeader() {
        // Only decoding can tell this one is broken (see ImageDecoderTest).
        assertThat(inspector.inspect(TestPhotos.bytes("truncated.jpg")))
                .isEqualTo(new ImageHeader(ImageFormat.JPEG, 512, 512, 1));
    }

    static int indexOf(byte[] bytes, byte a, byte b) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == a && bytes[i + 1] == b) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }
}
