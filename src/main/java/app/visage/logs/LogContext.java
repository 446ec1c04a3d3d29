package app.visage.logs;

import org.jboss.logging.MDC;

/**
 * The job a thread is working on, as a field of every line it logs meanwhile (JSON key {@code jobId}),
 * library lines included. On Lambda's custom runtime (the native functions) Quarkus also puts the
 * invocation's {@code AWSRequestId} in the MDC; lines show it as {@code requestId}.
 */
public final class LogContext {
    public static final String JOB_ID = "jobId";

    private LogContext() {}

    /** Sets the job for the current thread until the scope closes, then restores what was there. */
    public static Scope job(Object jobId) {
        Object previous = MDC.get(JOB_ID);
        MDC.put(JOB_ID, String.valueOf(jobId));
        return () -> {
            if (previous == null) {
                MDC.remove(JOB_ID);
            } else {
                MDC.put(JOB_ID, previous);
            }
        };
    }

    /** A try-with-resources scope that throws nothing on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
