package app.visage.metrics;

import static app.visage.support.LocalApi.awaitEnd;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.fashn.FashnEmulator;
import app.visage.local.LocalHttpServer;
import app.visage.logs.LogLines;
import app.visage.support.LocalApi;
import app.visage.support.ProviderEmulators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The EMF lines a run through local mode's public API writes: a local head shot with a client webhook, a photo with
 * no face, and a FASHN job against its emulator. Each line is read as the deployed log format prints it (the
 * "visage" filter in JSON), checked against the Embedded Metric Format's structure, and counted.
 */
@QuarkusTest
@TestProfile(EmfLinesTest.Profile.class)
class EmfLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The units CloudWatch accepts (the specification's list). */
    private static final Set<String> UNITS = Set.of(
            "Seconds",
            "Microseconds",
            "Milliseconds",
            "Bytes",
            "Kilobytes",
            "Megabytes",
            "Gigabytes",
            "Terabytes",
            "Bits",
            "Kilobits",
            "Megabits",
            "Gigabits",
            "Terabits",
            "Percent",
            "Count",
            "Bytes/Second",
            "Kilobytes/Second",
            "Megabytes/Second",
            "Gigabytes/Second",
            "Terabytes/Second",
            "Bits/Second",
            "Kilobits/Second",
            "Megabits/Second",
            "Gigabits/Second",
            "Terabits/Second",
            "Count/Second",
            "None");

    @Inject
    LocalHttpServer server;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProviderEmulators.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // The client webhook's receiver is on loopback, and client webhooks are signed.
            return Map.of(
                    "visage.egress.allow-private",
                    "true",
                    "visage.webhooks.secret",
                    "whsec_" + Base64.getEncoder().encodeToString("emf-lines-test-signing-key".getBytes(UTF_8)));
        }
    }

    /** Each record of the metrics' logger as the deployed (JSON) format prints it. */
    static final class Lines extends Handler {
        private final LogLines json = new LogLines("json");
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            json.isLoggable(record);
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void aRunWritesOneValidEmfLinePerFact() throws Exception {
        AtomicInteger hooks = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            exchange.getRequestBody().readAllBytes();
            hooks.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        FashnEmulator fashn = ProviderEmulators.fashn();
        fashn.reset();
        fashn.processingTime(Duration.ofMillis(300));
        Lines captured = new Lines();
        Logger logger = Logger.getLogger(LogLines.EMF_LOGGER);
        logger.addHandler(captured);
        Instant start = Instant.now();
        try {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
            String shot = submit(LocalApi.jobRequest("head_shot", "local", "astronaut.jpg", Map.of("webhook", hook)));
            String cat = submit(LocalApi.jobRequest("head_shot", "local", "chelsea.jpg"));
            String model = submit(LocalApi.jobRequest(
                    "face_to_model",
                    "fashn",
                    "astronaut.jpg",
                    Map.of("params", Map.of("prompt", "standing", "aspect_ratio", "4:5"))));
            assertThat(awaitEnd(server, shot).getString("status")).isEqualTo("succeeded");
            assertThat(awaitEnd(server, cat).getString("status")).isEqualTo("failed");
            assertThat(awaitEnd(server, model).getString("status")).isEqualTo("succeeded");
            awaitHook(hooks);
        } finally {
            logger.removeHandler(captured);
            receiver.stop(0);
        }

        List<JsonNode> points = new ArrayList<>();
        for (String line : captured.lines) {
            assertThat(line).as("one line each").doesNotContain("\n").startsWith("{\"_aws\":");
            JsonNode point = JSON.readTree(line);
            assertValidEmf(point, start);
            points.add(point);
        }
        Map<String, Double> totals = totals(points);

        assertThat(totals)
                .containsEntry("JobsCreated{Operation=head_shot, Provider=local}", 2.0)
                .containsEntry("JobsCreated{Operation=face_to_model, Provider=fashn}", 1.0)
                .containsEntry("JobsEnded{Provider=local, Status=succeeded}", 1.0)
                .containsEntry("JobsEnded{Provider=local, Status=failed}", 1.0)
                .containsEntry("JobsEnded{Provider=fashn, Status=succeeded}", 1.0)
                .containsEntry("JobsEnded{Operation=head_shot, Provider=local, Status=failed}", 1.0)
                .containsEntry("WebhookDeliveries{}", (double) hooks.get())
                .doesNotContainKey("WebhookFailures{}")
                .doesNotContainKey("ProviderErrors{Provider=fashn}")
                .containsKeys("ProviderLatency{Provider=fashn}", "QueuedSeconds{Provider=fashn}");
        assertThat(count(points, "ProviderLatency", "fashn"))
                .as("a start and at least one fetch (its webhook is confirmed by asking)")
                .isGreaterThanOrEqualTo(2);
        assertThat(totals.get("ProviderLatency{Provider=fashn}"))
                .as("the emulator takes its time")
                .isGreaterThan(0.0);
        assertThat(captured.lines)
                .as("only names, ids and statuses: no photo, no URL")
                .noneMatch(l -> l.contains("base64") || l.contains("http") || l.contains("job_"));
    }

    private String submit(Map<String, Object> body) {
        return LocalApi.submit(server, body);
    }

    private static void awaitHook(AtomicInteger hooks) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (hooks.get() == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(hooks.get()).as("the client webhook arrived").isPositive();
        Thread.sleep(300); // its attempt is counted once the sender has the answer
    }

    /**
     * The specification's rules: a root object with {@code _aws}, whose {@code Timestamp} is epoch milliseconds and
     * whose {@code CloudWatchMetrics} directives each have a namespace, dimension sets of at most 30 names, and
     * metric definitions; every dimension a top-level string member, every metric a top-level number.
     */
    private static void assertValidEmf(JsonNode point, Instant start) {
        assertThat(point.isObject()).isTrue();
        JsonNode aws = point.path("_aws");
        assertThat(aws.isObject()).as("_aws").isTrue();
        assertThat(aws.path("Timestamp").isIntegralNumber())
                .as("_aws.Timestamp")
                .isTrue();
        assertThat(aws.path("Timestamp").asLong())
                .isBetween(start.toEpochMilli() - 1000, Instant.now().toEpochMilli() + 1000);
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertThat(directives.isArray() && !directives.isEmpty())
                .as("CloudWatchMetrics")
                .isTrue();
        for (JsonNode directive : directives) {
            assertThat(directive.path("Namespace").asText()).isEqualTo(EmfMetrics.NAMESPACE);
            JsonNode sets = directive.path("Dimensions");
            assertThat(sets.isArray() && !sets.isEmpty()).as("Dimensions").isTrue();
            for (JsonNode set : sets) {
                assertThat(set.isArray() && set.size() <= 30)
                        .as("a dimension set")
                        .isTrue();
                for (JsonNode name : set) {
                    assertThat(point.path(name.asText()).isTextual())
                            .as("dimension %s is a member", name)
                            .isTrue();
                }
            }
            JsonNode metrics = directive.path("Metrics");
            assertThat(metrics.isArray() && !metrics.isEmpty()).as("Metrics").isTrue();
            for (JsonNode metric : metrics) {
                assertThat(metric.path("Name").isTextual()).isTrue();
                assertThat(UNITS).contains(metric.path("Unit").asText());
                assertThat(point.path(metric.path("Name").asText()).isNumber())
                        .as("metric %s is a member", metric.path("Name"))
                        .isTrue();
            }
        }
    }

    /** Each metric's sum by dimension set, as CloudWatch would aggregate it: "Name{Dim=value, …}". */
    private static Map<String, Double> totals(List<JsonNode> points) {
        Map<String, Double> totals = new TreeMap<>();
        for (JsonNode point : points) {
            for (JsonNode directive : point.path("_aws").path("CloudWatchMetrics")) {
                for (JsonNode metric : directive.path("Metrics")) {
                    String name = metric.path("Name").asText();
                    for (JsonNode set : directive.path("Dimensions")) {
                        Map<String, String> dimensions = new TreeMap<>();
                        for (Iterator<JsonNode> it = set.elements(); it.hasNext(); ) {
                            String dimension = it.next().asText();
                            dimensions.put(dimension, point.path(dimension).asText());
                        }
                        totals.merge(name + dimensions, point.path(name).asDouble(), Double::sum);
                    }
                }
            }
        }
        return totals;
    }

    private static long count(List<JsonNode> points, String metric, String provider) {
        return points.stream()
                .filter(p -> p.has(metric) && provider.equals(p.path("Provider").asText()))
                .count();
    }
}
