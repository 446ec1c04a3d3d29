package app.visage.providers.local.engine;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.OutputFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes result images. Nothing from the source photo is carried over: the writers get fresh pixels and
 * no metadata, so outputs never hold EXIF (GPS, camera, time). JPEG gets only the writer's bare JFIF header.
 */
public final class ImageEncoder {

    static final float JPEG_QUALITY = 0.9f;

    public byte[] encode(BufferedImage image, OutputFormat format) {
        // JPEG has no alpha and ImageIO mis-writes ARGB as CMYK-like JPEGs, so always hand over plain RGB.
        BufferedImage rgb = ImageDecoder.toIntRgb(image);
        ImageWriter writer = writer(format);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, rgb.getWidth() * rgb.getHeight() / 2));
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == OutputFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new VisageException(ErrorCode.INTERNAL, "could not encode " + format.name());
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static ImageWriter writer(OutputFormat format) {
        Iterator<ImageWriter> writers =
                ImageIO.getImageWritersByFormatName(format == OutputFormat.JPEG ? "jpeg" : "png");
        if (!writers.hasNext()) {
            throw new VisageException(ErrorCode.INTERNAL, "no ImageIO writer for " + format.name());
        }
        return writers.next();
    }
}
