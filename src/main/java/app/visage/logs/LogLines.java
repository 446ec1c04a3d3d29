package app.visage.logs;

import io.quarkus.logging.LoggingFilter;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log line Visage writes, in one place: each record is redacted ({@link Redactor}) and rendered
 * as one JSON object per line ({@code visage.log.format=json}, the default, for CloudWatch) or as a
 * human-readable line ({@code text}, local mode's default). The line replaces the record's message
 * and its exception, and the handler prints just that ({@code quarkus.log.console.format=%s%n}).
 *
 * <p>Why a filter and not a formatter: without the {@code quarkus-logging-json} extension, Quarkus
 * lets an application attach only a named filter to its handlers (it builds them itself, at run
 * time, in the JVM and in a native executable alike, lines logged during start-up included).
 */
@LoggingFilter(name = "visage")
public final class LogLines implements Filter {
    /**
     * Lines of this logger are CloudWatch Embedded Metric Format objects, printed as they are in either format:
     * CloudWatch extracts metrics only from a log event that is the object itself, not one wrapped in ours.
     */
    public static final String EMF_LOGGER = "app.visage.metrics.emf";

    /** Fields every line has; MDC entries by these names are not copied over them. */
    private static final Set<String> RESERVED =
            Set.of("timestamp", "level", "logger", "message", "thread", "exception");
    /** Quarkus's Lambda poll loop puts the invocation's id under this MDC key. */
    private static final String AWS_REQUEST_ID = "AWSRequestId";

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final LogFormat format;
    private final Redactor redactor;

    @Inject
    public LogLines(@ConfigProperty(name = "visage.log.format", defaultValue = "json") String format) {
        this(LogFormat.parse(format), new Redactor(configuredSecrets(ConfigProvider.getConfig())));
    }

    LogLines(LogFormat format, Redactor redactor) {
        this.format = format;
        this.redactor = redactor;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        ExtLogRecord ext = record instanceof ExtLogRecord e ? e : null;
        if (ext != null && ext.getMarker() instanceof Rendered rendered) {
            // Another handler's filters ran first and rendered it; Quarkus's own filter may have changed the
            // message since (it appends a note after shutdown), which would break the line.
            ext.setMessage(rendered.line(), ExtLogRecord.FormatStyle.NO_FORMAT);
            return true;
        }
        String line = render(ext != null ? ext : ExtLogRecord.wrap(record));
        record.setResourceBundle(null);
        record.setThrown(null);
        if (ext != null) {
            ext.setMessage(line, ExtLogRecord.FormatStyle.NO_FORMAT);
            ext.setParameters(null);
            ext.setMarker(new Rendered(line));
        } else {
            record.setMessage(line);
            record.setParameters(null);
        }
        return true;
    }

    /** The record as one line (JSON) or a few (text: the stack trace under the message). */
    String render(ExtLogRecord record) {
        String message = redactor.redact(record.getFormattedMessage());
        if (EMF_LOGGER.equals(record.getLoggerName())) {
            return message;
        }
        Map<String, String> context = context(record);
        Throwable thrown = record.getThrown();
        return format == LogFormat.JSON
                ? json(record, message, context, thrown)
                : text(record, message, context, thrown);
    }

    private String json(ExtLogRecord record, String message, Map<String, String> context, Throwable thrown) {
        JsonObject line = new JsonObject();
        line.field(
                "timestamp", record.getInstant().truncatedTo(ChronoUnit.MILLIS).toString());
        line.field("level", level(record.getLevel()));
        line.field("logger", record.getLoggerName());
        line.field("message", message);
        line.field("thread", record.getThreadName());
        context.forEach(line::field);
        if (thrown != null) {
            JsonObject exception = new JsonObject();
            exception.field(
                    "type",
                    thrown instanceof LoggableException l
                            ? l.type()
                            : thrown.getClass().getName());
            exception.field("message", redactor.redact(thrown.getMessage()));
            exception.field("stackTrace", redactor.redactStackTrace(stackTrace(thrown)));
            line.object("exception", exception);
        }
        return line.toString();
    }

    private String text(ExtLogRecord record, String message, Map<String, String> context, Throwable thrown) {
        StringBuilder out = new StringBuilder(128);
        out.append(CLOCK.format(record.getInstant())).append(' ');
        String level = level(record.getLevel());
        out.append(level).append(" ".repeat(Math.max(0, 5 - level.length())));
        out.append(" [").append(abbreviate(record.getLoggerName())).append("] ").append(message);
        // Only what the message does not already say ("job job_… created" needs no {jobId=job_…}).
        Map<String, String> unsaid = new TreeMap<>(context);
        unsaid.values().removeIf(message::contains);
        if (!unsaid.isEmpty()) {
            out.append(' ').append(unsaid);
        }
        if (thrown != null) {
            out.append(System.lineSeparator())
                    .append(redactor.redactStackTrace(stackTrace(thrown)).stripTrailing());
        }
        return out.toString();
    }

    /** The MDC (any library may put values there), with Lambda's request id under the name Lambda's own JSON logs use. */
    private Map<String, String> context(ExtLogRecord record) {
        Map<String, String> context = new TreeMap<>();
        record.getMdcCopy().forEach((key, value) -> {
            String name = AWS_REQUEST_ID.equals(key) ? "requestId" : key;
            if (value != null && !RESERVED.contains(name)) {
                context.put(name, redactor.redact(value));
            }
        });
        return context;
    }

    /** JBoss and JUL level names alike, by severity: ERROR, WARN, INFO, DEBUG, TRACE. */
    static String level(Level level) {
        int value = level.intValue();
        return value >= Level.SEVERE.intValue()
                ? "ERROR"
                : value >= Level.WARNING.intValue()
                        ? "WARN"
                        : value >= Level.INFO.intValue() ? "INFO" : value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    /** app.visage.jobs.usecase.RunJob → a.v.j.RunJob */
    private static String abbreviate(String logger) {
        if (logger == null || logger.isEmpty()) {
            return "root";
        }
        String[] parts = logger.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            out.append(parts[i].isEmpty() ? "" : parts[i].substring(0, 1)).append('.');
        }
        return out.append(parts[parts.length - 1]).toString();
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Configured secret values (provider keys, the webhook secret, API keys) and the Lambda's AWS credentials. */
    static List<String> configuredSecrets(Config config) {
        List<String> secrets = new ArrayList<>();
        for (String name : config.getPropertyNames()) {
            // A profile's line (%test.visage.…) is read through its plain name: only the active value matters.
            String plain = name.startsWith("%") && name.indexOf('.') > 0 ? name.substring(name.indexOf('.') + 1) : name;
            if (Redactor.isSecretProperty(plain)) {
                try {
                    config.getOptionalValue(plain, String.class).ifPresent(secrets::add);
                } catch (RuntimeException unreadable) {
                    // A value that does not resolve is not one a line can hold either.
                }
            }
        }
        for (String variable : List.of("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
            Optional.ofNullable(System.getenv(variable)).ifPresent(secrets::add);
        }
        return secrets;
    }

    /** Marks a record already rendered, when more than one handler runs this filter on it. */
    private record Rendered(String line) {}

    /** One JSON object on one line; null fields are left out. */
    private static final class JsonObject {
        private final StringBuilder out = new StringBuilder(256).append('{');

        void field(String name, String value) {
            if (value != null) {
                name(name);
                string(value);
            }
        }

        void object(String name, JsonObject value) {
            name(name);
            out.append(value);
        }

        private void name(String name) {
            if (out.length() > 1) {
                out.append(',');
            }
            string(name);
            out.append(':');
        }

        private void string(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        @Override
        public String toString() {
            return out + "}";
        }
    }
}
