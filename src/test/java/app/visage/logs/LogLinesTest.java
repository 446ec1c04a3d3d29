package app.visage.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

/** How one record becomes one line: fields, redaction, exceptions, and the text form. */
class LogLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "fashn-key-that-is-long-enough";
    private static final String PRESIGNED = "http://127.0.0.1:4567/visage/inputs/job_1/face.jpg"
            + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20260101&X-Amz-Signature=abcdef0123";

    private final LogLines json = new LogLines(LogFormat.JSON, new Redactor(List.of(KEY)));
    private final LogLines text = new LogLines(LogFormat.TEXT, new Redactor(List.of(KEY)));

    private static ExtLogRecord record(java.util.logging.Level level, String format, Object... params) {
        ExtLogRecord record =
                new ExtLogRecord(level, format, ExtLogRecord.FormatStyle.PRINTF, LogLinesTest.class.getName());
        record.setParameters(params);
        record.setLoggerName("app.visage.jobs.usecase.RunJob");
        return record;
    }

    /** As if thrown inside the AWS SDK: its message is not Visage's to log. */
    private static <T extends Throwable> T thrownBySdk(T e) {
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(
                    "software.amazon.awssdk.core.internal.http.AmazonSyncHttpClient",
                    "execute",
                    "AmazonSyncHttpClient.java",
                    66)
        });
        return e;
    }

    private static JsonNode parse(String line) throws Exception {
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        return JSON.readTree(line);
    }

    @Test
    void aLineIsOneJsonObjectWithTheRecordsFieldsAndItsContext() throws Exception {
        ExtLogRecord record = record(Level.INFO, "job %s created: %s at %s", "job_1", "head_shot", "local");
        record.putMdc("jobId", "job_1");
        record.putMdc("AWSRequestId", "8f5c-request");
        record.putMdc("message", "an MDC entry may not shadow a field");

        assertThat(json.isLoggable(record)).isTrue();

        JsonNode line = parse(record.getFormattedMessage());
        assertThat(line.get("timestamp").asText())
                .isEqualTo(record.getInstant().truncatedTo(ChronoUnit.MILLIS).toString());
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("logger").asText()).isEqualTo("app.visage.jobs.usecase.RunJob");
        assertThat(line.get("message").asText()).isEqualTo("job job_1 created: head_shot at local");
        assertThat(line.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(line.get("jobId").asText()).isEqualTo("job_1");
        assertThat(line.get("requestId").asText()).isEqualTo("8f5c-request");
        assertThat(line.has("exception")).isFalse();
        assertThat(record.getThrown()).isNull();
    }

    @Test
    void anExceptionIsAnObjectWithItsTypeAndStackAndNoForeignMessage() throws Exception {
        IllegalStateException ours = new IllegalStateException(
                "illegal transition QUEUED -> EXPIRED",
                thrownBySdk(new UncheckedIOException(
                        "Unable to execute HTTP request to " + PRESIGNED,
                        thrownBySdk(new IOException("Authorization: Bearer " + KEY)))));
        ExtLogRecord record = record(Level.ERROR, "job %s: provider %s failed unexpectedly", "job_1", "fashn");
        record.setThrown(LoggableException.of(ours));

        json.isLoggable(record);

        JsonNode line = parse(record.getFormattedMessage());
        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        JsonNode exception = line.get("exception");
        assertThat(exception.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(exception.get("message").asText()).isEqualTo("illegal transition QUEUED -> EXPIRED");
        String stack = exception.get("stackTrace").asText();
        assertThat(stack)
                .startsWith("java.lang.IllegalStateException: illegal transition QUEUED -> EXPIRED")
                .contains("Caused by: java.io.UncheckedIOException\n", "Caused by: java.io.IOException\n")
                .contains("at app.visage.logs.LogLinesTest.anExceptionIsAnObjectWithItsTypeAndStackAndNoForeignMessage")
                .doesNotContain("127.0.0.1")
                .doesNotContain(KEY)
                .doesNotContain("Bearer");
    }

    @Test
    void aForeignExceptionLoggedAsItIsIsStillRedacted() throws Exception {
        ExtLogRecord record = record(Level.WARN, "call failed");
        record.setThrown(new IllegalArgumentException("GET " + PRESIGNED + " answered 403 for key " + KEY));

        json.isLoggable(record);

        JsonNode exception = parse(record.getFormattedMessage()).get("exception");
        assertThat(exception.get("message").asText())
                .isEqualTo(
                        "GET http://127.0.0.1:4567/visage/inputs/job_1/face.jpg?[redacted] answered 403 for key [redacted]");
        assertThat(exception.get("stackTrace").asText()).doesNotContain("X-Amz").doesNotContain(KEY);
    }

    @Test
    void theMessageIsRedactedAndEscaped() throws Exception {
        ExtLogRecord record = record(
                Level.DEBUG, "said \"%s\"\nthen\t%s", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg", "token=abc");

        json.isLoggable(record);

        JsonNode line = parse(record.getFormattedMessage());
        assertThat(line.get("level").asText()).isEqualTo("DEBUG");
        assertThat(line.get("message").asText()).isEqualTo("said \"data:[redacted]\"\nthen\t[redacted]");
    }

    @Test
    void aRecordSeenByTwoHandlersIsRenderedOnceAndKeptWhole() throws Exception {
        ExtLogRecord record = record(Level.INFO, "once %s", "only");
        json.isLoggable(record);
        String first = record.getFormattedMessage();
        // What Quarkus's own filter does to every record after shutdown, before the second handler's filter.
        record.setMessage(record.getMessage() + " [Error Occurred After Shutdown]", record.getFormatStyle());

        json.isLoggable(record);

        assertThat(record.getFormattedMessage()).isEqualTo(first);
        assertThat(parse(first).get("message").asText()).isEqualTo("once only");
    }

    @Test
    void anEmfLineIsPrintedAsItIsInEitherFormat() {
        String emf = "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"Visage\","
                + "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"DeadLettered\",\"Unit\":\"Count\"}]}]},"
                + "\"DeadLettered\":1}";
        for (LogLines lines : List.of(json, text)) {
            ExtLogRecord record =
                    new ExtLogRecord(Level.INFO, emf, ExtLogRecord.FormatStyle.NO_FORMAT, LogLinesTest.class.getName());
            record.setLoggerName(LogLines.EMF_LOGGER);
            assertThat(lines.render(record)).isEqualTo(emf);
        }
        ExtLogRecord other = record(Level.INFO, emf);
        assertThat(json.render(other)).as("another logger's line is wrapped").startsWith("{\"timestamp\":");
    }

    @Test
    void julLevelsAreNamedLikeJBossOnes() {
        assertThat(LogLines.level(java.util.logging.Level.SEVERE)).isEqualTo("ERROR");
        assertThat(LogLines.level(java.util.logging.Level.WARNING)).isEqualTo("WARN");
        assertThat(LogLines.level(java.util.logging.Level.FINE)).isEqualTo("DEBUG");
        assertThat(LogLines.level(Level.FATAL)).isEqualTo("ERROR");
        assertThat(LogLines.level(Level.TRACE)).isEqualTo("TRACE");
    }

    @Test
    void theTextFormIsOneReadableLineWithTheStackBelow() {
        ExtLogRecord record = record(Level.WARN, "job %s: client webhook not delivered", "job_1");
        record.putMdc("jobId", "job_1");
        record.putMdc("requestId", "8f5c");
        record.setThrown(new IllegalStateException("no answer from " + PRESIGNED));

        text.isLoggable(record);

        String[] lines = record.getFormattedMessage().split("\\R");
        assertThat(lines[0])
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[a\\.v\\.j\\.u\\.RunJob] "
                        + "job job_1: client webhook not delivered \\{requestId=8f5c}");
        assertThat(lines[1])
                .isEqualTo("java.lang.IllegalStateException: no answer from "
                        + "http://127.0.0.1:4567/visage/inputs/job_1/face.jpg?[redacted]");
        assertThat(lines[2]).startsWith("\tat app.visage.logs.LogLinesTest.");
    }

    @Test
    void configuredSecretsAreFoundUnderEveryNameTheyMayHave() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "visage.providers.fashn.api-key", "fashn-key-from-properties",
                                "VISAGE_PROVIDERS_MODELSLAB_ENTERPRISE_API_KEY", "enterprise-key-from-env",
                                "%test.visage.webhooks.secret", "whsec_c2VjcmV0LWJvZHktYnl0ZXM=",
                                "%test.visage.auth.api-keys", "client-key-one-1234,client-key-two-5678",
                                "visage.bucket", "visage-bucket-name"),
                        "test",
                        100))
                .withProfile("test")
                .build();

        List<String> secrets = LogLines.configuredSecrets(config);

        assertThat(secrets)
                .contains(
                        "fashn-key-from-properties",
                        "enterprise-key-from-env",
                        "whsec_c2VjcmV0LWJvZHktYnl0ZXM=",
                        "client-key-one-1234,client-key-two-5678")
                .doesNotContain("visage-bucket-name");
        String redacted =
                new Redactor(secrets).redact("client-key-two-5678 c2VjcmV0LWJvZHktYnl0ZXM= visage-bucket-name");
        assertThat(redacted).isEqualTo("[redacted] [redacted] visage-bucket-name");
    }
}
