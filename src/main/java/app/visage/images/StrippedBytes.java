package app.visage.images;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a container's stripper writes, taken in two passes of the same writer: the first only measures the
 * output and checks it against the input, so a picture with nothing to remove is answered as the array it
 * came in, and any other is written once into an array of exactly its size. For a 10 MB photo that is no
 * copy, or one, where a growing buffer and its final trim made two.
 */
final class StrippedBytes {
    private final byte[] input;
    /** Null while measuring. */
    private final byte[] out;

    private int size;
    private boolean sameAsInput = true;

    private StrippedBytes(byte[] input, byte[] out) {
        this.input = input;
        this.out = out;
    }

    /** The bytes {@code writer} writes for {@code input}: {@code input} itself when they are the same. */
    static byte[] of(byte[] input, Consumer<StrippedBytes> writer) {
        StrippedBytes measured = new StrippedBytes(input, null);
        writer.accept(measured);
        if (measured.sameAsInput && measured.size == input.length) {
            return input;
        }
        StrippedBytes written = new StrippedBytes(input, new byte[measured.size]);
        writer.accept(written);
        return written.out;
    }

    int size() {
        return size;
    }

    void write(byte[] from, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, from.length); // a walk past the end fails in both passes alike
        if (out != null) {
            System.arraycopy(from, offset, out, size, length);
        } else if (sameAsInput && !(from == input && offset == size)) {
            sameAsInput = size + length <= input.length
                    && Arrays.equals(from, offset, offset + length, input, size, size + length);
        }
        size += length;
    }

    void write(byte[] from) {
        write(from, 0, from.length);
    }

    void write(int b) {
        if (out != null) {
            out[size] = (byte) b;
        } else if (sameAsInput) {
            sameAsInput = size < input.length && input[size] == (byte) b;
        }
        size++;
    }

    /** Changes a byte already written (a size or flags field fixed once the rest is known). */
    void set(int at, int b) {
        if (out != null) {
            out[at] = (byte) b;
        } else if (sameAsInput) {
            sameAsInput = input[at] == (byte) b;
        }
    }
}
