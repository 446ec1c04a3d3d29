package app.visage.images;

import static app.visage.support.TestPhotos.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.providers.local.engine.ImageDecoder;
import app.visage.support.MetadataPhotos;
import app.visage.support.TestPhotos;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Files built to make inspection or decoding spend far more memory or time than their size suggests. */
class HostileImagesTest {

    private static final long MIB = 1024 * 1024;

    private final ImageInspector inspector = new ImageInspector();
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aProgressiveJpegWithHundredsOfScansIsRefusedBeforeDecoding() {
        byte[] progressive = progressiveJpeg(2000, 2000);
        assertThat(JpegSegments.work(progressive).scans()).isBetween(2, 12); // what an encoder writes
        assertThat(decoder.decode(progressive, inspector.inspect(progressive), 1000)
                        .getWidth())
                .isEqualTo(1000);

        // The first scan repeated 300 times: libjpeg only warns, and decodes each repeat over the whole picture.
        byte[] bomb = repeatFirstScan(progressive, 300);
        assertThat(bomb.length).isLessThan(10 * (int) MIB);

        assertThat(codeOf(() -> decoder.decode(bomb, inspector.inspect(bomb), 1000)))
                .isEqualTo(ErrorCode.IMAGE_UNREADABLE);
    }

    @Test
    void aJpegWithASecondFrameHeaderIsRefused() {
        byte[] jpeg = TestPhotos.bytes("astronaut.jpg");
        // A second start-of-frame claiming 60000x60000, after the real picture's scan.
        byte[] sof = MetadataPhotos.segment(0xC0, new byte[] {8, (byte) 0xEA, 0x60, (byte) 0xEA, 0x60, 1, 1, 0x11, 0});
        byte[] twoFrames =
                MetadataPhotos.concat(Arrays.copyOf(jpeg, jpeg.length - 2), sof, new byte[] {(byte) 0xFF, (byte) 0xD9});
        ImageHeader header = inspector.inspect(twoFrames);
        assertThat(header.pixels()).isEqualTo(512L * 512);

        assertThat(codeOf(() -> decoder.decode(twoFrames, header, Integer.MAX_VALUE)))
                .isEqualTo(ErrorCode.IMAGE_UNREADABLE);
    }

    @Test
    void aPngWhoseImageDataInflatesFarBeyondItsHeaderDecodesOnlyWhatItsHeaderSays() {
        // IHDR says 64x64 RGB; the zlib stream goes on with 128 MiB of zeros past the 64 rows.
        byte[] ihdr = ByteBuffer.allocate(13)
                .putInt(64)
                .putInt(64)
                .put(new byte[] {8, 2, 0, 0, 0})
                .array();
        byte[] png = MetadataPhotos.concat(
                new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
                MetadataPhotos.chunk("IHDR", ihdr),
                MetadataPhotos.chunk("IDAT", zeros(128 * MIB)),
                MetadataPhotos.chunk("IEND", new byte[0]));
        assertThat(png.length).isLessThan((int) MIB);

        long before = allocated();
        BufferedImage image = decoder.decode(png, inspector.inspect(png), Integer.MAX_VALUE);

        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getRGB(10, 10) & 0xFFFFFF).isZero();
        assertThat(allocated() - before).isLessThan(32 * MIB);
    }

    @Test
    void aPngWithACompressedTextBombIsInspectedAndStrippedWithoutInflatingIt() {
        byte[] bomb = MetadataPhotos.beforeFirstIdat(
                TestPhotos.png(TestPhotos.image("astronaut.jpg")),
                MetadataPhotos.chunk(
                        "zTXt",
                        MetadataPhotos.concat("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1), zeros(128 * MIB))));

        long before = allocated();
        ImageHeader header = inspector.inspect(bomb);
        byte[] stripped = MetadataStripper.strip(bomb, ImageFormat.PNG);

        assertThat(header).isEqualTo(new ImageHeader(ImageFormat.PNG, 512, 512, 1));
        assertThat(MetadataPhotos.chunkTypes(stripped)).doesNotContain("zTXt");
        assertThat(allocated() - before).isLessThan(8L * bomb.length + 32 * MIB);
    }

    @Test
    void aHeicGridCanvasLargerThanItsDeclaredSizeIsRefusedFromItsHeaders() {
        assertThat(inspector.inspect(gridHeif(256, 256, 256, 256)))
                .isEqualTo(new ImageHeader(ImageFormat.HEIC, 256, 256, 1));

        assertThat(codeOf(() -> inspector.inspect(gridHeif(256, 256, 60000, 60000))))
                .isEqualTo(ErrorCode.IMAGE_UNREADABLE);
    }

    @Test
    void aHeicDeclaringTensOfThousandsOfItemsIsRefusedBeforeReadingThemAll() {
        byte[] infe = fullBox("infe", 2, 0, new byte[] {0, 1, 0, 0}, ascii("hvc1"), new byte[] {0});
        byte[][] items = new byte[HeifMeta.MAX_ENTRIES + 1][];
        Arrays.fill(items, infe);
        byte[] many = heif(
                fullBox("iinf", 0, 0, new byte[] {(byte) 0xFF, (byte) 0xFF}, MetadataPhotos.concat(items)),
                new byte[0],
                256,
                256);
        assertThat(many.length).isLessThan((int) MIB);

        assertThat(codeOf(() -> inspector.inspect(many))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
        assertThat(codeOf(() -> MetadataStripper.strip(many, ImageFormat.HEIC))).isEqualTo(ErrorCode.IMAGE_UNREADABLE);
    }

    @Test
    void theHeifDecoderRunsUnderAnAddressSpaceLimit(@TempDir Path tools) throws IOException {
        // A stand-in for libheif's tool that reports the limits it runs under, then fails.
        Path tool = tools.resolve("heif-convert");
        Files.writeString(
                tool,
                "#!/bin/sh\necho \"$(ulimit -v) $MALLOC_ARENA_MAX\" > \"$(dirname \"$0\")/limits.txt\"\n" + "exit 1\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] heic = TestPhotos.bytes("astronaut.heic");

        ImageDecoder limited = new ImageDecoder(tools.toString());

        assertThat(codeOf(() -> limited.decode(heic, inspector.inspect(heic), 512)))
                .isEqualTo(ErrorCode.IMAGE_UNREADABLE);
        assertThat(Files.readString(tools.resolve("limits.txt")).strip())
                .isEqualTo(ImageDecoder.HEIF_MEMORY_KIB + " 2");
    }

    /** Bytes this thread has allocated so far. */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** A zlib stream of {@code n} zero bytes (about a thousandth of that, compressed). */
    private static byte[] zeros(long n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] block = new byte[(int) MIB];
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            for (long written = 0; written < n; written += block.length) {
                z.write(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A flat-coloured progressive JPEG, so that every scan is small. */
    private static byte[] progressiveJpeg(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(120, 90, 60));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The JPEG with its first scan (header and data) repeated {@code times} more times right after it. */
    private static byte[] repeatFirstScan(byte[] jpeg, int times) {
        int sos = 2;
        while ((jpeg[sos + 1] & 0xFF) != 0xDA) {
            sos += 2 + ((jpeg[sos + 2] & 0xFF) << 8 | (jpeg[sos + 3] & 0xFF));
        }
        int end = sos + 2 + ((jpeg[sos + 2] & 0xFF) << 8 | (jpeg[sos + 3] & 0xFF));
        while (!((jpeg[end] & 0xFF) == 0xFF
                && jpeg[end + 1] != 0
                && ((jpeg[end + 1] & 0xFF) < 0xD0 || (jpeg[end + 1] & 0xFF) > 0xD7))) {
            end++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, end);
        for (int i = 0; i < times; i++) {
            out.write(jpeg, sos, end - sos);
        }
        out.write(jpeg, end, jpeg.length - end);
        return out.toByteArray();
    }

    /**
     * A minimal HEIF whose primary item is a 1x1 grid with no tiles: {@code ispe} says one size, the grid's
     * own data (in {@code idat}) another. Enough for header inspection.
     */
    private static byte[] gridHeif(int ispeWidth, int ispeHeight, int gridWidth, int gridHeight) {
        byte[] infe = fullBox("infe", 2, 0, new byte[] {0, 1, 0, 0}, ascii("grid"), new byte[] {0});
        byte[] grid = ByteBuffer.allocate(12)
                .put(new byte[] {0, 1, 0, 0})
                .putInt(gridWidth)
                .putInt(gridHeight)
                .array();
        return heif(fullBox("iinf", 0, 0, new byte[] {0, 1}, infe), grid, ispeWidth, ispeHeight);
    }

    /** A HEIF whose item 1 is primary, has {@code ispe}, and whose data is {@code data}, in idat. */
    private static byte[] heif(byte[] iinf, byte[] data, int ispeWidth, int ispeHeight) {
        byte[] ftyp = box("ftyp", ascii("heic"), new byte[4], ascii("mif1"), ascii("heic"));
        byte[] hdlr = fullBox("hdlr", 0, 0, new byte[4], ascii("pict"), new byte[12], new byte[] {0});
        byte[] pitm = fullBox("pitm", 0, 0, new byte[] {0, 1});
        // iloc version 1: 4-byte offsets and lengths, no base offset or index; one item, in idat (method 1).
        byte[] iloc = fullBox(
                "iloc",
                1,
                0,
                new byte[] {0x44, 0x00, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1},
                ByteBuffer.allocate(8).putInt(0).putInt(data.length).array());
        byte[] idat = box("idat", data);
        byte[] ispe = fullBox(
                "ispe",
                0,
                0,
                ByteBuffer.allocate(8).putInt(ispeWidth).putInt(ispeHeight).array());
        byte[] ipma = fullBox("ipma", 0, 0, new byte[] {0, 0, 0, 1, 0, 1, 1, (byte) 0x81});
        byte[] iprp = box("iprp", box("ipco", ispe), ipma);
        return MetadataPhotos.concat(ftyp, fullBox("meta", 0, 0, hdlr, pitm, iinf, iloc, idat, iprp));
    }

    private static byte[] box(String type, byte[]... body) {
        byte[] content = MetadataPhotos.concat(body);
        return MetadataPhotos.concat(
                ByteBuffer.allocate(4).putInt(8 + content.length).array(), ascii(type), content);
    }

    private static byte[] fullBox(String type, int version, int flags, byte[]... body) {
        return box(
                type,
                MetadataPhotos.concat(new byte[] {(byte) version, 0, 0, (byte) flags}, MetadataPhotos.concat(body)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
