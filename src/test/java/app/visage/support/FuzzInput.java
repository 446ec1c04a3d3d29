package app.visage.support;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * A fuzz input read as a few text lines followed by a body: the fuzz tests frame their inputs this way so
 * that seed files can be written by hand (a line each, then the body as is) and the fuzzer can still
 * reach every field.
 */
public final class FuzzInput {
    private final byte[] data;
    private int at;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    /** The next line (UTF-8, without its '\n'); "" once the input is used up. */
    public String line() {
        int end = at;
        while (end < data.length && data[end] != '\n') {
            end++;
        }
        String line = new String(data, at, end - at, StandardCharsets.UTF_8);
        at = Math.min(data.length, end + 1);
        return line;
    }

    /** The next line, or null when it is empty. */
    public String lineOrNull() {
        String line = line();
        return line.isEmpty() ? null : line;
    }

    /** Everything after the lines read so far. */
    public byte[] rest() {
        return Arrays.copyOfRange(data, at, data.length);
    }

    /**
     * The invariant of every refusal the fuzz tests accept: a {@link VisageException} with one of the
     * expected codes, a 4xx status and a message.
     */
    public static void assertRefusal(VisageException e, Set<ErrorCode> expected) {
        assertThat(e.code()).as(e.getMessage()).isIn(expected);
        assertThat(e.code().httpStatus()).isBetween(400, 499);
        assertThat(e.getMessage()).isNotBlank();
    }
}
