package app.visage.jobs.model;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

public enum Operation {
    HEAD_SHOT,
    FACE_GEN,
    FACE_TO_MODEL,
    FACE_RECON;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Operation fromWire(String value) {
        for (Operation op : values()) {
            if (op.wire().equals(value)) {
                return op;
            }
        }
        throw new VisageException(
                ErrorCode.INVALID_PARAM,
                "operation must be one of "
                        + Arrays.stream(values()).map(Operation::wire).collect(Collectors.joining(", ")),
                "operation");
    }
}
