package app.visage.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facts the local run of {@link EmfLinesTest} does not reach: a cold start, failures, a dead letter. */
class EmfMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private final List<String> lines = new ArrayList<>();
    private final EmfMetrics metrics = new EmfMetrics(lines::add, Clock.fixed(NOW, ZoneOffset.UTC));

    private List<JsonNode> points() throws Exception {
        List<JsonNode> points = new ArrayList<>();
        for (String line : lines) {
            points.add(JSON.readTree(line));
        }
        return points;
    }

    @Test
    void onlyTheFirstInvocationIsAColdStart() throws Exception {
        metrics.invoked("worker");
        metrics.invoked("worker");
        metrics.invoked("submit");

        List<JsonNode> points = points();
        assertThat(points).hasSize(1);
        JsonNode point = points.get(0);
        assertThat(point.path("ColdStart").asInt()).isEqualTo(1);
        assertThat(point.path("Function").asText()).isEqualTo("worker");
        assertThat(point.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(point.path("_aws")
                        .path("CloudWatchMetrics")
                        .get(0)
                        .path("Dimensions")
                        .toString())
                .isEqualTo("[[\"Function\"]]");
    }

    @Test
    void aFailedCallOrAttemptIsAlsoAnError() throws Exception {
        metrics.providerCall("fashn", Duration.ofMillis(1250), true);
        metrics.providerCall("fashn", Duration.ofMillis(80), false);
        metrics.webhookAttempt(false);
        metrics.webhookAttempt(true);
        metrics.deadLettered();

        List<String> names = new ArrayList<>();
        for (JsonNode point : points()) {
            String name = point.path("_aws")
                    .path("CloudWatchMetrics")
                    .get(0)
                    .path("Metrics")
                    .get(0)
                    .path("Name")
                    .asText();
            assertThat(point.has(name)).as("%s is a member", name).isTrue();
            names.add(name);
        }
        assertThat(names)
                .containsExactly(
                        "ProviderLatency",
                        "ProviderErrors",
                        "ProviderLatency",
                        "WebhookDeliveries",
                        "WebhookFailures",
                        "WebhookDeliveries",
                        "DeadLettered");
        assertThat(points().get(0).path("ProviderLatency").asLong()).isEqualTo(1250);
        assertThat(points().get(0).path("Provider").asText()).isEqualTo("fashn");
        assertThat(points().get(3)
                        .path("_aws")
                        .path("CloudWatchMetrics")
                        .get(0)
                        .path("Dimensions")
                        .toString())
                .as("no dimension: one empty set")
                .isEqualTo("[[]]");
    }
}
