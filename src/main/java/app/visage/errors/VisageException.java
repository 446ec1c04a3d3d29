package app.visage.errors;

/**
 * A failure with a public error code. Thrown at the edge for bad input (answered as 4xx) and by
 * engines and providers for job failures (recorded on the job). {@code field} names the request
 * field at fault, when there is one.
 */
public class VisageException extends RuntimeException {
    private final ErrorCode code;
    private final String field;

    public VisageException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public VisageException(ErrorCode code, String message, String field) {
        super(message);
        this.code = code;
        this.field = field;
    }

    public ErrorCode code() {
        return code;
    }

    public String field() {
        return field;
    }
}
