package app.visage.jobs.model;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** 128 random bits in lower-case base32: unguessable, and safe inside S3 keys and URLs. */
public record JobId(String value) {
    private static final Pattern FORMAT = Pattern.compile("job_[a-z2-7]{26}");
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    public JobId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new VisageException(ErrorCode.NOT_FOUND, "no such job");
        }
    }

    @JsonCreator
    public static JobId of(String value) {
        return new JobId(value);
    }

    public static JobId random() {
        byte[] bytes = Entropy.bytes(17);
        StringBuilder id = new StringBuilder("job_");
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5 && id.length() < 30) {
                id.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return new JobId(id.toString());
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
