package app.visage.providers.local.engine;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.ImageFormat;
import app.visage.images.ImageHeader;
import app.visage.images.ImageInspector;
import app.visage.images.JpegSegments;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an inspected photo to upright TYPE_INT_RGB pixels, reduced by source subsampling when only a
 * smaller picture is needed.
 */
public final class ImageDecoder {

    private static final long HEIF_TIMEOUT_SECONDS = 60;
    private static final List<String> HEIF_TOOLS = List.of("heif-dec", "heif-convert");
    /**
     * Address space the HEIF decoder may use, in KiB. A 40 MP picture needs a few hundred MB; libheif itself
     * allows canvases of 32768x32768 (over 3 GB), and a hostile file can make tiles larger than its headers say.
     */
    public static final long HEIF_MEMORY_KIB = 2L * 1024 * 1024;
    /**
     * Scans a JPEG may have. Encoders write 1 (baseline) to about 10 (progressive); each scan is a pass over
     * the whole picture and can take a few bytes, so a small file with thousands of them would cost minutes
     * of CPU in a decoder that cannot be interrupted.
     */
    static final int MAX_JPEG_SCANS = 64;
    /** Scans times pixels a JPEG may ask for: 16 passes over the largest picture, more for smaller ones. */
    static final long MAX_JPEG_SCAN_PIXELS = 16 * ImageInspector.MAX_PIXELS;

    /** Where libheif's decoder is looked for: the process's PATH. */
    private final String searchPath;

    public ImageDecoder() {
        this(System.getenv("PATH"));
    }

    /** For tests: looks for the HEIF decoder on {@code searchPath} (a PATH-style list) instead. */
    public ImageDecoder(String searchPath) {
        this.searchPath = searchPath == null ? "" : searchPath;
    }

    /**
     * @param maxLongSide the long side the caller needs; {@code Integer.MAX_VALUE} for every pixel. Larger
     *     photos are decoded with the largest integer subsampling that keeps the long side at or above it
     *     (so the result is between {@code maxLongSide} and twice that); the caller resizes the rest of the
     *     way with a proper filter.
     */
    public BufferedImage decode(byte[] bytes, ImageHeader header, int maxLongSide) {
        if (maxLongSide < 1) {
            throw new IllegalArgumentException("maxLongSide must be positive");
        }
        if (header.format() == ImageFormat.JPEG) {
            checkJpegWork(bytes, header);
        }
        return switch (header.format()) {
            case JPEG, PNG ->
                Orientation.apply(
                        decodeWithImageIo(bytes, header.format(), reader(header.format()), maxLongSide),
                        header.orientation());
            case HEIC -> decodeHeif(bytes, maxLongSide);
            case WEBP -> decodeWebp(bytes, header, maxLongSide);
        };
    }

    /**
     * Refuses a JPEG whose decoding would cost more than its size suggests: more than one frame (the header
     * check read the first; libjpeg would refuse a second only after work), or too many scans.
     */
    private static void checkJpegWork(byte[] bytes, ImageHeader header) {
        JpegSegments.Work work = JpegSegments.work(bytes);
        if (work.frames() != 1) {
            throw new VisageException(ErrorCode.IMAGE_UNREADABLE, "JPEG has " + work.frames() + " frame headers");
        }
        if (work.scans() > MAX_JPEG_SCANS || work.scans() * header.pixels() > MAX_JPEG_SCAN_PIXELS) {
            throw new VisageException(
                    ErrorCode.IMAGE_UNREADABLE,
                    "JPEG has " + work.scans() + " scans; at most "
                            + Math.min(MAX_JPEG_SCANS, MAX_JPEG_SCAN_PIXELS / header.pixels())
                            + " are decoded at this size");
        }
    }

    private static BufferedImage decodeWebp(byte[] bytes, ImageHeader header, int maxLongSide) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("webp");
        if (!readers.hasNext()) {
            throw new VisageException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "WebP photos cannot be decoded here (no WebP reader is installed); send a JPEG, PNG or HEIC");
        }
        return Orientation.apply(
                decodeWithImageIo(bytes, ImageFormat.WEBP, readers.next(), maxLongSide), header.orientation());
    }

    private static BufferedImage decodeWithImageIo(
            byte[] bytes, ImageFormat format, ImageReader reader, int maxLongSide) {
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener(listener);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            // Checked again here: libheif's output, or a caller that skipped inspection, is not trusted.
            if ((long) width * height > ImageInspector.MAX_PIXELS) {
                throw new VisageException(ErrorCode.IMAGE_TOO_LARGE, "image is " + width + "x" + height + " pixels");
            }
            int step = Math.max(1, Math.max(width, height) / maxLongSide);
            ImageReadParam param = reader.getDefaultReadParam();
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            // Let the JPEG reader write straight into packed RGB instead of converting afterwards.
            for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
                ImageTypeSpecifier type = it.next();
                if (type.getBufferedImageType() == BufferedImage.TYPE_INT_RGB) {
                    param.setDestinationType(type);
                    break;
                }
            }
            BufferedImage image = reader.read(0, param);
            if (image == null || truncated(format, warnings)) {
                throw new VisageException(
                        ErrorCode.IMAGE_UNREADABLE, format.name() + " image data is truncated or corrupt");
            }
            return toIntRgb(image);
        } catch (VisageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new VisageException(
                    ErrorCode.IMAGE_UNREADABLE, format.name() + " image data is truncated or corrupt");
        } finally {
            reader.dispose();
        }
    }

    /**
     * ImageIO's JPEG reader pads a cut-short file with grey and only warns, so warnings about a premature end
     * (libjpeg's, or the reader's own missing-EOI one) are failures. Other libjpeg warnings (such as
     * "extraneous bytes before marker") are common in sound camera files and are let through.
     */
    private static boolean truncated(ImageFormat format, List<String> warnings) {
        if (format != ImageFormat.JPEG) {
            return false;
        }
        for (String w : warnings) {
            String s = w.toLowerCase(Locale.ROOT);
            if (s.contains("premature end") || s.contains("missing eoi") || s.contains("truncated")) {
                return true;
            }
        }
        return false;
    }

    /** Packs any decoded layout into opaque RGB; transparent areas are laid on white, as viewers show them. */
    static BufferedImage toIntRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            if (image.getColorModel().hasAlpha()) {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, image.getWidth(), image.getHeight());
            }
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /**
     * No pure-Java HEVC decoder exists, so HEIC goes through libheif's command-line decoder via temporary
     * files. Its PNG output is lossless and already upright (libheif applies the HEIF transforms).
     */
    private BufferedImage decodeHeif(byte[] bytes, int maxLongSide) {
        Path tool = heifTool();
        if (tool == null) {
            throw new VisageException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "HEIC decoding needs libheif's heif-dec or heif-convert (Debian package libheif-examples), which is not installed");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("visage-heif");
            Path input = dir.resolve("in.heic");
            Path output = dir.resolve("out.png");
            Path log = dir.resolve("log.txt");
            Files.write(input, bytes);
            // Under an address-space limit (set by the shell, then replaced by the tool), with few malloc
            // arenas so that the limit counts memory in use rather than per-thread reservations.
            ProcessBuilder builder = new ProcessBuilder(
                            "/bin/sh",
                            "-c",
                            "ulimit -v " + HEIF_MEMORY_KIB + " && exec \"$0\" \"$@\"",
                            tool.toString(),
                            "--quiet",
                            input.toString(),
                            output.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MALLOC_ARENA_MAX", "2");
            Process process = builder.start();
            if (!process.waitFor(HEIF_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new VisageException(ErrorCode.IMAGE_UNREADABLE, "HEIC decoding timed out");
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(output)) {
                throw new VisageException(ErrorCode.IMAGE_UNREADABLE, "HEIC image data is truncated or corrupt");
            }
            byte[] png = Files.readAllBytes(output);
            return decodeWithImageIo(png, ImageFormat.PNG, reader(ImageFormat.PNG), maxLongSide);
        } catch (IOException e) {
            throw new VisageException(
                    ErrorCode.INTERNAL, "HEIC decoding failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisageException(ErrorCode.INTERNAL, "HEIC decoding was interrupted");
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Whether HEIC photos can be decoded here (libheif's command-line decoder is installed). */
    public boolean heifSupported() {
        return heifTool() != null;
    }

    private Path heifTool() {
        for (String name : HEIF_TOOLS) {
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is not worth failing the request for
        }
    }

    private static ImageReader reader(ImageFormat format) {
        Iterator<ImageReader> readers =
                ImageIO.getImageReadersByFormatName(format == ImageFormat.JPEG ? "jpeg" : "png");
        if (!readers.hasNext()) {
            throw new VisageException(ErrorCode.INTERNAL, "no ImageIO reader for " + format.name());
        }
        return readers.next();
    }
}
