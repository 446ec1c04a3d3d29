package app.visage.images;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A HEIF file's {@code meta} box read as items (ISO/IEC 23008-12 over ISO-BMFF): what each item is
 * ({@code iinf}) and where its bytes lie ({@code iloc}, in the file or in {@code idat}). Every count
 * and offset is checked against the bytes at hand; nothing is decoded.
 */
final class HeifMeta {

    record Box(String type, int body, int end) {}

    private record Item(String type, String contentType) {}

    private record Extent(long offset, long length) {}

    private record Location(int method, int dataReference, long baseOffset, List<Extent> extents) {}

    /**
     * Entries any one list may hold: boxes in a box, items, their locations and extents, property
     * associations. A 12-MP iPhone photo has under a hundred items; a hostile 10 MB file could declare
     * millions of tiny ones, and reading them would take far more memory than the file.
     */
    static final int MAX_ENTRIES = 10_000;

    /** The empty EXIF an EXIF item is left holding: a zero TIFF-header offset, then a TIFF with no entries. */
    private static final byte[] EMPTY_EXIF = {0, 0, 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0};

    private final byte[] b;
    private final Box meta;
    private final Box idat;
    private final Map<Long, Item> items = new HashMap<>();
    private final Map<Long, Location> locations = new HashMap<>();

    private HeifMeta(byte[] b) {
        this.b = b;
        meta = find(b, 0, b.length, "meta");
        if (meta == null) {
            throw unreadable("HEIC has no meta box");
        }
        int children = meta.body + 4; // meta is a FullBox: version and flags come first
        idat = find(b, children, meta.end, "idat");
        Box iinf = find(b, children, meta.end, "iinf");
        Box iloc = find(b, children, meta.end, "iloc");
        if (iinf != null) {
            readItems(iinf);
        }
        if (iloc != null) {
            readLocations(iloc);
        }
    }

    static HeifMeta of(byte[] b) {
        try {
            return new HeifMeta(b);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw unreadable("HEIC item boxes are truncated");
        }
    }

    /** The box of {@code type} among the boxes in {@code b[from, to)}, or null. */
    static Box find(byte[] b, int from, int to, String type) {
        for (Box box : children(b, from, to)) {
            if (box.type.equals(type)) {
                return box;
            }
        }
        return null;
    }

    static List<Box> children(byte[] b, int from, int to) {
        List<Box> boxes = new ArrayList<>();
        int off = from;
        while (off + 8 <= to) {
            long size = Bytes.u32(b, off);
            String type = Bytes.ascii(b, off + 4, 4);
            int header = 8;
            if (size == 1) {
                size = (Bytes.u32(b, off + 8) << 32) | Bytes.u32(b, off + 12);
                header = 16;
            } else if (size == 0) {
                size = to - off;
            }
            if (size < header || off + size > to) {
                // A box running past its parent: the file is cut short or corrupt.
                throw unreadable("HEIC box '" + type.replaceAll("[^A-Za-z0-9 ]", "?") + "' is truncated");
            }
            if (boxes.size() == MAX_ENTRIES) {
                throw unreadable("HEIC has more than " + MAX_ENTRIES + " boxes in one box");
            }
            boxes.add(new Box(type, off + header, (int) (off + size)));
            off += (int) size;
        }
        return boxes;
    }

    private void readItems(Box iinf) {
        int version = b[iinf.body] & 0xFF;
        int entries = iinf.body + 4 + (version == 0 ? 2 : 4);
        for (Box infe : children(b, entries, iinf.end)) {
            if (!infe.type.equals("infe")) {
                continue;
            }
            int v = b[infe.body] & 0xFF;
            int off = infe.body + 4;
            long id;
            if (v == 3) {
                id = Bytes.u32(b, off);
                off += 4;
            } else {
                id = Bytes.u16(b, off);
                off += 2;
            }
            off += 2; // protection index
            if (v < 2) {
                // No item type before version 2: name, then content type.
                off = skipString(off, infe.end);
                items.put(id, new Item("", string(off, infe.end)));
            } else {
                String type = Bytes.ascii(b, off, 4);
                off = skipString(off + 4, infe.end);
                items.put(id, new Item(type, type.equals("mime") ? string(off, infe.end) : ""));
            }
        }
    }

    private void readLocations(Box iloc) {
        int version = b[iloc.body] & 0xFF;
        int off = iloc.body + 4;
        int offsetSize = (b[off] & 0xFF) >> 4;
        int lengthSize = b[off] & 0x0F;
        int baseOffsetSize = (b[off + 1] & 0xFF) >> 4;
        int indexSize = version == 1 || version == 2 ? b[off + 1] & 0x0F : 0;
        off += 2;
        long count;
        if (version < 2) {
            count = Bytes.u16(b, off);
            off += 2;
        } else {
            count = Bytes.u32(b, off);
            off += 4;
        }
        if (count > MAX_ENTRIES) {
            throw unreadable("HEIC has more than " + MAX_ENTRIES + " item locations");
        }
        int extentsRead = 0;
        for (long i = 0; i < count; i++) {
            if (off >= iloc.end) {
                throw unreadable("HEIC item locations are truncated");
            }
            long id;
            if (version < 2) {
                id = Bytes.u16(b, off);
                off += 2;
            } else {
                id = Bytes.u32(b, off);
                off += 4;
            }
            int method = 0;
            if (version == 1 || version == 2) {
                method = Bytes.u16(b, off) & 0x0F;
                off += 2;
            }
            int dataReference = Bytes.u16(b, off);
            off += 2;
            long base = uint(off, baseOffsetSize);
            off += baseOffsetSize;
            int extentCount = Bytes.u16(b, off);
            off += 2;
            extentsRead += extentCount;
            if (extentsRead > MAX_ENTRIES) {
                throw unreadable("HEIC has more than " + MAX_ENTRIES + " item extents");
            }
            List<Extent> extents = new ArrayList<>(Math.min(extentCount, 16));
            for (int e = 0; e < extentCount; e++) {
                off += indexSize;
                long extentOffset = uint(off, offsetSize);
                off += offsetSize;
                long extentLength = uint(off, lengthSize);
                off += lengthSize;
                extents.add(new Extent(extentOffset, extentLength));
            }
            if (off > iloc.end) {
                throw unreadable("HEIC item locations are truncated");
            }
            locations.put(id, new Location(method, dataReference, base, extents));
        }
    }

    /**
     * A copy with every EXIF and XMP (or other MIME-typed) item's bytes blanked in place (the picture itself
     * when it has none): an EXIF item is left an empty EXIF, anything else zeros. Blanking rather than removing
     * keeps every other item's offset valid, so the picture's coded data is untouched. HEIF's own orientation
     * ({@code irot}, {@code imir}) is an item property, not EXIF, so nothing needs keeping.
     */
    byte[] stripped() {
        byte[] out = b;
        for (Map.Entry<Long, Item> entry : items.entrySet()) {
            Item item = entry.getValue();
            boolean exif = item.type.equals("Exif");
            boolean metadata = exif || item.type.equals("mime") || item.contentType.contains("xml");
            Location location = locations.get(entry.getKey());
            if (!metadata || location == null || location.dataReference != 0) {
                continue; // not metadata, no data, or data in another file (not ours to carry)
            }
            if (out == b) {
                out = b.clone();
            }
            boolean first = true;
            for (Extent extent : location.extents) {
                long[] range = range(location, extent);
                int from = (int) range[0];
                int to = (int) range[1];
                Arrays.fill(out, from, to, (byte) 0);
                if (exif && first && to - from >= EMPTY_EXIF.length) {
                    System.arraycopy(EMPTY_EXIF, 0, out, from, EMPTY_EXIF.length);
                }
                first = false;
            }
        }
        return out;
    }

    /** The canvas a grid or overlay item declares (libheif decodes to it, whatever {@code ispe} says), or null. */
    ContainerHeaders.Size canvas(long itemId) {
        Item item = items.get(itemId);
        Location location = locations.get(itemId);
        if (item == null
                || location == null
                || location.extents.isEmpty()
                || location.dataReference != 0
                || !item.type.equals("grid") && !item.type.equals("iovl")) {
            return null;
        }
        long[] range = range(location, location.extents.get(0));
        int off = (int) range[0];
        if (range[1] - off < 2) {
            throw unreadable("HEIC " + item.type + " item is truncated");
        }
        boolean wide = (b[off + 1] & 1) != 0;
        off += item.type.equals("grid") ? 4 : 2 + 8; // rows and columns; or four 16-bit fill values
        if (off + (wide ? 8 : 4) > range[1]) {
            throw unreadable("HEIC " + item.type + " item is truncated");
        }
        long width = wide ? Bytes.u32(b, off) : Bytes.u16(b, off);
        long height = wide ? Bytes.u32(b, off + 4) : Bytes.u16(b, off + 2);
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw unreadable("HEIC " + item.type + " canvas size is out of range");
        }
        return new ContainerHeaders.Size((int) width, (int) height);
    }

    /** Where an extent's bytes lie in the file, as [from, to). */
    private long[] range(Location location, Extent extent) {
        long start;
        long limit;
        switch (location.method) {
            case 0 -> {
                start = 0;
                limit = b.length;
            }
            case 1 -> {
                if (idat == null) {
                    throw unreadable("HEIC item refers to a missing idat box");
                }
                start = idat.body;
                limit = idat.end;
            }
            default -> throw unreadable("HEIC item data stored by reference is not supported");
        }
        long from = start + location.baseOffset + extent.offset;
        long to = extent.length == 0 ? limit : from + extent.length;
        if (location.baseOffset < 0
                || extent.offset < 0
                || extent.length < 0
                || from < start
                || from > to
                || to > limit) {
            throw unreadable("HEIC item data lies outside the file");
        }
        return new long[] {from, to};
    }

    private long uint(int off, int size) {
        return switch (size) {
            case 0 -> 0;
            case 4 -> Bytes.u32(b, off);
            case 8 -> (Bytes.u32(b, off) << 32) | Bytes.u32(b, off + 4); // negative past 2^63: refused by range()
            default -> throw unreadable("HEIC item locations use a field size of " + size + " bytes");
        };
    }

    private int skipString(int off, int end) {
        while (off < end && b[off] != 0) {
            off++;
        }
        return Math.min(off + 1, end);
    }

    private String string(int off, int end) {
        int stop = off;
        while (stop < end && b[stop] != 0) {
            stop++;
        }
        return new String(b, off, stop - off, StandardCharsets.UTF_8);
    }

    static VisageException unreadable(String message) {
        return new VisageException(ErrorCode.IMAGE_UNREADABLE, message);
    }
}
