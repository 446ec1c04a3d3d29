package app.visage.images;

import static app.visage.support.MetadataPhotos.metadata;
import static app.visage.support.TestPhotos.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.visage.errors.ErrorCode;
import app.visage.providers.local.engine.ImageDecoder;
import app.visage.providers.local.engine.ImageEncoder;
import app.visage.support.MetadataPhotos;
import app.visage.support.TestPhotos;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.jfif.JfifDirectory;
import com.drew.metadata.jpeg.JpegCommentDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataStripperTest {

    private final ImageInspector inspector = new ImageInspector();
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void jpegLosesExifGpsXmpIptcCommentsThumbnailAndTrailerButKeepsOrientationAndColour() {
        byte[] source = MetadataPhotos.jpegWithEverything();
        Metadata before = metadata(source);
        // The test's premise: every kind is there and readable.
        for (Class<? extends Directory> kind : List.of(
                GpsDirectory.class,
                XmpDirectory.class,
                IptcDirectory.class,
                JpegCommentDirectory.class,
                IccDirectory.class)) {
            assertThat(before.getFirstDirectoryOfType(kind))
                    .as(kind.getSimpleName())
                    .isNotNull();
        }
        assertThat(before.getFirstDirectoryOfType(JfifDirectory.class).getString(JfifDirectory.TAG_THUMB_WIDTH))
                .isEqualTo("2");

        byte[] stripped = MetadataStripper.strip(source, ImageFormat.JPEG);

        Metadata after = metadata(stripped);
        for (Class<? extends Directory> kind :
                List.of(GpsDirectory.class, XmpDirectory.class, IptcDirectory.class, JpegCommentDirectory.class)) {
            assertThat(after.getFirstDirectoryOfType(kind))
                    .as(kind.getSimpleName())
                    .isNull();
        }
        ExifIFD0Directory exif = after.getFirstDirectoryOfType(ExifIFD0Directory.class);
        assertThat(exif.getTags()).hasSize(1);
        assertThat(exif.getString(ExifIFD0Directory.TAG_ORIENTATION)).isEqualTo("6");
        assertThat(after.getFirstDirectoryOfType(IccDirectory.class)).isNotNull();
        assertThat(after.getFirstDirectoryOfType(JfifDirectory.class).getString(JfifDirectory.TAG_THUMB_WIDTH))
                .isEqualTo("0");
        String text = new String(stripped, StandardCharsets.ISO_8859_1);
        assertThat(text)
                .doesNotContain(MetadataPhotos.AUTHOR)
                .doesNotContain("xmpmeta")
                .doesNotContain("MPF")
                .contains("Adobe");
        // The appended second picture is gone.
        assertThat(stripped.length).isLessThan(source.length - TestPhotos.bytes("grace_hopper_exif6.jpg").length);

        // The same picture, shown the same way.
        assertThat(inspector.inspect(stripped)).isEqualTo(inspector.inspect(source));
        assertThat(TestPhotos.meanDifference(TestPhotos.read(stripped), TestPhotos.read(source)))
                .isZero();
        BufferedImage upright = decoder.decode(stripped, inspector.inspect(stripped), Integer.MAX_VALUE);
        assertThat(upright.getWidth()).isEqualTo(512);
        assertThat(TestPhotos.meanDifference(
                        upright, decoder.decode(source, inspector.inspect(source), Integer.MAX_VALUE)))
                .isZero();
    }

    @Test
    void anUprightJpegKeepsNoExifAtAll() {
        byte[] source = MetadataPhotos.afterFirstSegment(
                TestPhotos.bytes("astronaut.jpg"),
                MetadataPhotos.segment(
                        0xE1,
                        MetadataPhotos.concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), uprightExifWithGps())));
        assertThat(metadata(source).getFirstDirectoryOfType(GpsDirectory.class)).isNotNull();

        byte[] stripped = MetadataStripper.strip(source, ImageFormat.JPEG);

        assertThat(stripped).isEqualTo(TestPhotos.bytes("astronaut.jpg"));
    }

    @Test
    void picturesWithNothingToRemoveComeBackUncopied() {
        BufferedImage image = TestPhotos.image("astronaut.jpg");
        for (byte[] clean : List.of(
                TestPhotos.bytes("astronaut.jpg"),
                TestPhotos.bytes("camera.jpg"),
                TestPhotos.png(image),
                new ImageEncoder().encode(image, OutputFormat.JPEG),
                TestPhotos.bytes("astronaut.heic"),
                riff(webpChunk("VP8L", payload(WebpHeaders.vp8l(40, 30)))),
                // Already stripped: what was rewritten (JFIF, orientation, WebP's size and flags) is as it would be.
                MetadataStripper.strip(MetadataPhotos.jpegWithEverything(), ImageFormat.JPEG),
                MetadataStripper.strip(MetadataPhotos.pngWithEverything(), ImageFormat.PNG),
                MetadataStripper.strip(extendedWebp(true), ImageFormat.WEBP))) {
            ImageFormat format = ImageFormat.sniff(clean).orElseThrow();
            assertThat(MetadataStripper.strip(clean, format)).as(format.name()).isSameAs(clean);
        }
    }

    @Test
    void strippingTwiceChangesNothingMore() {
        for (byte[] source : List.of(
                MetadataPhotos.jpegWithEverything(),
                MetadataPhotos.pngWithEverything(),
                extendedWebp(true),
                TestPhotos.bytes("astronaut_gps.heic"))) {
            ImageFormat format = ImageFormat.sniff(source).orElseThrow();
            byte[] once = MetadataStripper.strip(source, format);
            assertThat(MetadataStripper.strip(once, format)).as(format.name()).isEqualTo(once);
        }
    }

    @Test
    void pngLosesTextExifAndTimeChunksButKeepsRenderingChunksAndOrientation() {
        byte[] source = MetadataPhotos.pngWithEverything();
        Metadata before = metadata(source);
        assertThat(before.getFirstDirectoryOfType(GpsDirectory.class)).isNotNull();
        assertThat(before.getFirstDirectoryOfType(XmpDirectory.class)).isNotNull();
        assertThat(MetadataPhotos.tags(source)).contains(MetadataPhotos.POSITION);

        byte[] stripped = MetadataStripper.strip(source, ImageFormat.PNG);

        assertThat(MetadataPhotos.chunkTypes(stripped).stream().distinct())
                .containsExactly("IHDR", "gAMA", "pHYs", "eXIf", "IDAT", "IEND");
        Metadata after = metadata(stripped);
        assertThat(after.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
        assertThat(after.getFirstDirectoryOfType(XmpDirectory.class)).isNull();
        assertThat(MetadataPhotos.tags(stripped))
                .doesNotContain(MetadataPhotos.POSITION)
                .doesNotContain(MetadataPhotos.AUTHOR);
        assertThat(after.getFirstDirectoryOfType(ExifIFD0Directory.class).getTags())
                .hasSize(1);
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1)).doesNotContain("GPS");
        assertThat(inspector.inspect(stripped)).isEqualTo(new ImageHeader(ImageFormat.PNG, 512, 600, 6));
        assertThat(TestPhotos.meanDifference(TestPhotos.read(stripped), TestPhotos.read(source)))
                .isZero();
    }

    @Test
    void extendedWebpLosesExifAndXmpChunksWithItsFlagsAndSizeFixed() {
        byte[] source = extendedWebp(true);
        assertThat(metadata(source).getFirstDirectoryOfType(GpsDirectory.class)).isNotNull();
        assertThat(inspector.inspect(source).orientation()).isEqualTo(6);

        byte[] stripped = MetadataStripper.strip(source, ImageFormat.WEBP);

        assertThat(webpChunks(stripped)).containsExactly("VP8X", "ICCP", "VP8L", "EXIF");
        assertThat(stripped[20] & 0xFF).isEqualTo(0x20 | 0x08); // ICC and EXIF; XMP cleared
        assertThat(ByteBuffer.wrap(stripped, 4, 4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getInt())
                .isEqualTo(stripped.length - 8);
        Metadata after = metadata(stripped);
        assertThat(after.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
        assertThat(after.getFirstDirectoryOfType(XmpDirectory.class)).isNull();
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1)).doesNotContain("xmpmeta");
        assertThat(inspector.inspect(stripped)).isEqualTo(inspector.inspect(source));

        // Upright: no EXIF chunk and no EXIF flag at all.
        byte[] upright = MetadataStripper.strip(extendedWebp(false), ImageFormat.WEBP);
        assertThat(webpChunks(upright)).containsExactly("VP8X", "ICCP", "VP8L");
        assertThat(upright[20] & 0xFF).isEqualTo(0x20);
    }

    @Test
    void simpleWebpKeepsOnlyItsImageChunk() {
        byte[] image = webpChunk("VP8L", payload(WebpHeaders.vp8l(40, 30)));
        byte[] source = riff(image, webpChunk("XMP ", MetadataPhotos.XMP.getBytes(StandardCharsets.UTF_8)));

        byte[] stripped = MetadataStripper.strip(source, ImageFormat.WEBP);

        assertThat(stripped).isEqualTo(riff(image));
        assertThat(inspector.inspect(stripped)).isEqualTo(new ImageHeader(ImageFormat.WEBP, 40, 30, 1));
    }

    @Test
    void heicLosesItsExifAndXmpItemsAndDecodesToTheSamePixels() throws Exception {
        byte[] source = TestPhotos.bytes("astronaut_gps.heic");
        Metadata before = metadata(source);
        assertThat(before.getFirstDirectoryOfType(GpsDirectory.class)).isNotNull();
        assertThat(new String(source, StandardCharsets.ISO_8859_1)).contains("Visage test");

        byte[] stripped = MetadataStripper.strip(source, ImageFormat.HEIC);

        assertThat(stripped).hasSameSizeAs(source); // blanked in place: every offset still holds
        assertThat(metadata(stripped).getFirstDirectoryOfType(GpsDirectory.class))
                .isNull();
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1))
                .doesNotContain("Visage test")
                .doesNotContain("xmpmeta");
        assertThat(inspector.inspect(stripped)).isEqualTo(inspector.inspect(source));
        assumeTrue(decoder.heifSupported(), "libheif's command-line decoder is not installed");
        BufferedImage picture = decoder.decode(stripped, inspector.inspect(stripped), Integer.MAX_VALUE);
        assertThat(TestPhotos.meanDifference(
                        picture, decoder.decode(source, inspector.inspect(source), Integer.MAX_VALUE)))
                .isZero();
    }

    @Test
    void brokenContainersAreUnreadable() {
        byte[] zeroLength = MetadataPhotos.afterFirstSegment(
                TestPhotos.bytes("astronaut.jpg"), new byte[] {(byte) 0xFF, (byte) 0xE1, 0, 0});
        assertThat(codeOf(() -> MetadataStripper.strip(zeroLength, ImageFormat.JPEG)))
                .isEqualTo(ErrorCode.IMAGE_UNREADABLE);
        byte[] unknownCritical = MetadataPhotos.beforeFirstIdat(
                TestPhotos.png(TestPhotos.image("coffee.jpg")), MetadataPhotos.chunk("SECR", new byte[8]));
        assertThat(codeOf(() -> MetadataStripper.strip(unknownCritical, ImageFormat.PNG)))
                .isEqualTo(ErrorCode.IMAGE_UNREADABLE);
        // Item locations claiming far more items than the box holds.
        byte[] heic = TestPhotos.bytes("astronaut_gps.heic").clone();
        int itemCount = indexOf(heic, "iloc") + 4 + 4 + 2; // after the type, version and flags, field sizes
        heic[itemCount] = 0x7F;
        assertThat(codeOf(() -> MetadataStripper.strip(heic, ImageFormat.HEIC))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
    }

    /** An extended WebP: VP8X, ICCP, a VP8L image, EXIF (Orientation 6 and GPS, or upright with GPS) and XMP. */
    private static byte[] extendedWebp(boolean turned) {
        byte[] vp8x = payload(WebpHeaders.vp8x(40, 30));
        vp8x[0] = 0x20 | 0x08 | 0x04; // ICC, EXIF, XMP
        return riff(
                webpChunk("VP8X", vp8x),
                webpChunk("ICCP", new byte[] {1, 2, 3}),
                webpChunk("VP8L", payload(WebpHeaders.vp8l(40, 30))),
                webpChunk("EXIF", turned ? MetadataPhotos.exifWithGps() : uprightExifWithGps()),
                webpChunk("XMP ", MetadataPhotos.XMP.getBytes(StandardCharsets.UTF_8)));
    }

    /** grace_hopper_exif6.jpg's EXIF with its orientation set to 1. */
    private static byte[] uprightExifWithGps() {
        byte[] tiff = MetadataPhotos.exifWithGps();
        int at = Exif.orientation(tiff, 0, tiff.length) == 6 ? orientationValueOffset(tiff) : -1;
        tiff[at] = 0;
        tiff[at + 1] = 1;
        return tiff;
    }

    /** Where the big-endian Orientation value lies in ExifTool's TIFF. */
    private static int orientationValueOffset(byte[] tiff) {
        int ifd = ByteBuffer.wrap(tiff, 4, 4).getInt();
        int entries = ByteBuffer.wrap(tiff, ifd, 2).getShort();
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + 12 * i;
            if (ByteBuffer.wrap(tiff, entry, 2).getShort() == Exif.ORIENTATION_TAG) {
                return entry + 8;
            }
        }
        throw new AssertionError("no orientation entry");
    }

    /** The payload of the one chunk in a {@link WebpHeaders} file. */
    private static byte[] payload(byte[] webp) {
        return Arrays.copyOfRange(webp, 20, webp.length);
    }

    private static byte[] webpChunk(String type, byte[] payload) {
        ByteBuffer b =
                ByteBuffer.allocate(8 + payload.length + (payload.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(type.getBytes(StandardCharsets.ISO_8859_1)).putInt(payload.length).put(payload);
        return b.array();
    }

    private static byte[] riff(byte[]... chunks) {
        byte[] body = MetadataPhotos.concat(chunks);
        ByteBuffer b = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.ISO_8859_1))
                .putInt(4 + body.length)
                .put("WEBP".getBytes(StandardCharsets.ISO_8859_1))
                .put(body);
        return b.array();
    }

    private static List<String> webpChunks(byte[] webp) {
        List<String> types = new ArrayList<>();
        int at = 12;
        while (at + 8 <= webp.length) {
            types.add(new String(webp, at, 4, StandardCharsets.ISO_8859_1));
            int size = ByteBuffer.wrap(webp, at + 4, 4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getInt();
            at += 8 + size + (size & 1);
        }
        return types;
    }

    private static int indexOf(byte[] b, String type) {
        return new String(b, StandardCharsets.ISO_8859_1).indexOf(type);
    }
}
