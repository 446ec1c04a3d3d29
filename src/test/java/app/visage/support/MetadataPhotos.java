package app.visage.support;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * Test photos loaded with every kind of metadata a camera, an editor or a provider may leave in them, built
 * at run time from the committed photos (see SOURCES.md), and an independent reader (metadata-extractor)
 * to check what is left.
 */
public final class MetadataPhotos {
    /** The made-up position in grace_hopper_exif6.jpg's GPS tags, as text, for the text-bearing kinds. */
    public static final String POSITION = "38.8735 N 76.9950 W";

    public static final String XMP = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF"
            + " xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description"
            + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" dc:creator=\"Jane Doe\"/></rdf:RDF></x:xmpmeta>";
    public static final String AUTHOR = "Jane Doe";

    private MetadataPhotos() {}

    /** metadata-extractor's reading of the bytes. */
    public static Metadata metadata(byte[] bytes) {
        try {
            return ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
        } catch (Exception e) {
            throw new AssertionError("metadata-extractor could not read the picture", e);
        }
    }

    /** Every tag metadata-extractor finds, described, one a line: to look for text that must be gone. */
    public static String tags(byte[] bytes) {
        StringBuilder all = new StringBuilder();
        metadata(bytes)
                .getDirectories()
                .forEach(d -> d.getTags()
                        .forEach(t -> all.append(d.getName())
                                .append(": ")
                                .append(t.getTagName())
                                .append(" = ")
                                .append(t.getDescription())
                                .append('\n')));
        return all.toString();
    }

    /** The TIFF structure of grace_hopper_exif6.jpg's EXIF: Orientation 6 and a GPS IFD, written by ExifTool. */
    public static byte[] exifWithGps() {
        byte[] jpeg = TestPhotos.bytes("grace_hopper_exif6.jpg");
        int i = 2;
        while (i + 4 < jpeg.length) {
            int marker = jpeg[i + 1] & 0xFF;
            int length = (jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF);
            if (marker == 0xE1 && new String(jpeg, i + 4, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                byte[] tiff = new byte[length - 2 - 6];
                System.arraycopy(jpeg, i + 10, tiff, 0, tiff.length);
                return tiff;
            }
            i += 2 + length;
        }
        throw new AssertionError("grace_hopper_exif6.jpg has no EXIF segment");
    }

    /**
     * grace_hopper_exif6.jpg (EXIF Orientation 6 with GPS, and a comment) with a JFIF thumbnail, XMP, IPTC
     * (Photoshop), an MPF segment, an sRGB ICC profile and an Adobe colour segment added, and a whole second
     * JPEG with the same EXIF after its end, as multi-picture files and some phones append.
     */
    public static byte[] jpegWithEverything() {
        byte[] jpeg = TestPhotos.bytes("grace_hopper_exif6.jpg");
        int jfifEnd = 2 + 2 + 16; // SOI, then its JFIF segment (16 bytes long), replaced by one with a thumbnail
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        byte[] jfif = ByteBuffer.allocate(14 + 12)
                .put("JFIF\0".getBytes(StandardCharsets.ISO_8859_1))
                .put(new byte[] {1, 1, 0, 0, 1, 0, 1, 2, 2})
                .put(new byte[12])
                .array(); // a 2x2 thumbnail
        out.writeBytes(segment(0xE0, jfif));
        out.writeBytes(segment(
                0xE1,
                concat(
                        "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1),
                        XMP.getBytes(StandardCharsets.UTF_8))));
        out.writeBytes(segment(0xED, photoshopIptc()));
        out.writeBytes(segment(0xE2, concat("MPF\0".getBytes(StandardCharsets.ISO_8859_1), new byte[16])));
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        out.writeBytes(
                segment(0xE2, concat("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {1, 1}, srgb)));
        out.writeBytes(segment(0xEE, new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1}));
        out.write(jpeg, jfifEnd, jpeg.length - jfifEnd); // its EXIF, comment, tables, scan and end
        out.writeBytes(jpeg); // the trailer: a second picture with its own EXIF
        return out.toByteArray();
    }

    /** IPTC By-line ({@link #AUTHOR}) in a Photoshop image resource, as APP13 carries it. */
    private static byte[] photoshopIptc() {
        byte[] author = AUTHOR.getBytes(StandardCharsets.ISO_8859_1);
        byte[] iptc = concat(new byte[] {0x1C, 0x02, 0x50, 0, (byte) author.length}, author);
        ByteBuffer resource = ByteBuffer.allocate(4 + 2 + 2 + 4 + iptc.length + (iptc.length & 1));
        resource.put("8BIM".getBytes(StandardCharsets.ISO_8859_1))
                .putShort((short) 0x0404)
                .putShort((short) 0)
                .putInt(iptc.length)
                .put(iptc);
        return concat("Photoshop 3.0\0".getBytes(StandardCharsets.ISO_8859_1), resource.array());
    }

    /** {@code jpeg} with {@code segments} inserted after its first segment (the JFIF header of ours). */
    public static byte[] afterFirstSegment(byte[] jpeg, byte[]... segments) {
        int at = 2 + 2 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, at);
        for (byte[] segment : segments) {
            out.writeBytes(segment);
        }
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** A JPEG marker segment with its length. */
    public static byte[] segment(int marker, byte[] payload) {
        return concat(
                new byte[] {(byte) 0xFF, (byte) marker, (byte) ((payload.length + 2) >> 8), (byte) (payload.length + 2)
                },
                payload);
    }

    /**
     * A PNG of grace_hopper.jpg with tEXt (the position), zTXt, iTXt (XMP), eXIf (Orientation 6 and GPS) and
     * tIME chunks, gAMA and pHYs chunks (which stay), and bytes after IEND.
     */
    public static byte[] pngWithEverything() {
        byte[] png = TestPhotos.png(TestPhotos.image("grace_hopper.jpg"));
        png = beforeFirstIdat(
                png, chunk("gAMA", ByteBuffer.allocate(4).putInt(45455).array()));
        png = beforeFirstIdat(
                png,
                chunk(
                        "pHYs",
                        ByteBuffer.allocate(9)
                                .putInt(2835)
                                .putInt(2835)
                                .put((byte) 1)
                                .array()));
        png = beforeFirstIdat(png, textChunk("Comment", "taken at " + POSITION));
        png = beforeFirstIdat(png, chunk("zTXt", concat(latin1("Author\0\0"), deflate(latin1(AUTHOR)))));
        png = beforeFirstIdat(
                png,
                chunk("iTXt", concat(latin1("XML:com.adobe.xmp\0\0\0\0\0"), XMP.getBytes(StandardCharsets.UTF_8))));
        png = beforeFirstIdat(png, chunk("eXIf", exifWithGps()));
        png = beforeFirstIdat(png, chunk("tIME", new byte[] {0x07, (byte) 0xE8, 5, 17, 12, 30, 0}));
        return concat(png, latin1("GPS " + POSITION));
    }

    /** A tEXt chunk. */
    public static byte[] textChunk(String keyword, String text) {
        return chunk("tEXt", latin1(keyword + "\0" + text));
    }

    /** A PNG chunk with its length and CRC. */
    public static byte[] chunk(String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(latin1(type));
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length)
                .putInt(data.length)
                .put(latin1(type))
                .put(data)
                .putInt((int) crc.getValue())
                .array();
    }

    /** {@code png} with {@code chunk} inserted before its first IDAT chunk. */
    public static byte[] beforeFirstIdat(byte[] png, byte[] chunk) {
        int at = 8;
        while (!new String(png, at + 4, 4, StandardCharsets.ISO_8859_1).equals("IDAT")) {
            at += 12 + ByteBuffer.wrap(png, at, 4).getInt();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, at);
        out.writeBytes(chunk);
        out.write(png, at, png.length - at);
        return out.toByteArray();
    }

    /** The types of a PNG's chunks, in order, up to IEND. */
    public static List<String> chunkTypes(byte[] png) {
        List<String> types = new ArrayList<>();
        int at = 8;
        while (at + 8 <= png.length) {
            String type = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
            types.add(type);
            if (type.equals("IEND")) {
                break;
            }
            at += 12 + ByteBuffer.wrap(png, at, 4).getInt();
        }
        return types;
    }

    public static byte[] deflate(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
