package app.visage.logs;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * An exception as Visage logs it: every type name and stack frame of the original, causes and
 * suppressed ones included, but a message only where Visage's own code threw it. Messages of the
 * AWS SDK, the HTTP clients, Jackson and the JDK can quote a URL with its query (a presigned URL, a
 * provider call carrying our webhook token), a header or a slice of a request body.
 */
public final class LoggableException extends RuntimeException {
    private static final String OURS = "app.visage.";

    private final String type;

    private LoggableException(String type, String message, Throwable cause, StackTraceElement[] trace) {
        super(message, cause, true, true);
        this.type = type;
        setStackTrace(trace);
    }

    /** {@code e} fit to log; null stays null. */
    public static LoggableException of(Throwable e) {
        return e == null ? null : copy(e, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static LoggableException copy(Throwable e, Set<Throwable> seen) {
        seen.add(e);
        Throwable cause = e.getCause() != null && !seen.contains(e.getCause()) ? copy(e.getCause(), seen) : null;
        StackTraceElement[] trace = e.getStackTrace();
        boolean ours = trace.length > 0 && trace[0].getClassName().startsWith(OURS);
        LoggableException copy =
                new LoggableException(e.getClass().getName(), ours ? e.getMessage() : null, cause, trace);
        for (Throwable suppressed : e.getSuppressed()) {
            if (!seen.contains(suppressed)) {
                copy.addSuppressed(copy(suppressed, seen));
            }
        }
        return copy;
    }

    /** The original type: what a reader of the log needs, where this class's name would tell nothing. */
    public String type() {
        return type;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    @Override
    public String toString() {
        String message = getMessage();
        return message == null ? type : type + ": " + message;
    }
}
