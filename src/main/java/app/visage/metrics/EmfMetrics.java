package app.visage.metrics;

import app.visage.jobs.model.Job;
import app.visage.jobs.port.Metrics;
import app.visage.json.Json;
import app.visage.logs.LogLines;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The metrics as CloudWatch Embedded Metric Format: one JSON object per data point, written as a log line of its
 * own ({@link LogLines#EMF_LOGGER}, printed verbatim, not in the log's JSON envelope, since CloudWatch extracts a
 * metric only from an event that is the object itself). No API call, so nothing waits on CloudWatch.
 */
@ApplicationScoped
public class EmfMetrics implements Metrics {
    public static final String NAMESPACE = "Visage";

    private static final Logger LINES = Logger.getLogger(LogLines.EMF_LOGGER);

    private final Consumer<String> out;
    private final Clock clock;
    /** The bean is one per process: set by a Lambda's first invocation after its start (or SnapStart restore). */
    private final AtomicBoolean invoked = new AtomicBoolean();

    @Inject
    public EmfMetrics(Clock clock) {
        this(LINES::info, clock);
    }

    /** Writing each line to {@code out}. */
    public EmfMetrics(Consumer<String> out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void jobCreated(Job job) {
        write(
                "JobsCreated",
                "Count",
                1,
                Map.of("Operation", job.operation().wire(), "Provider", job.provider()),
                List.of(List.of("Operation", "Provider")));
    }

    /** By provider and status (what the alarms read), and by operation too. */
    @Override
    public void jobEnded(Job job) {
        write(
                "JobsEnded",
                "Count",
                1,
                Map.of(
                        "Operation",
                        job.operation().wire(),
                        "Provider",
                        job.provider(),
                        "Status",
                        job.status().wire()),
                List.of(List.of("Provider", "Status"), List.of("Operation", "Provider", "Status")));
    }

    @Override
    public void jobStarted(Job job, Duration waited) {
        write(
                "QueuedSeconds",
                "Seconds",
                waited.toMillis() / 1000.0,
                Map.of("Provider", job.provider()),
                List.of(List.of("Provider")));
    }

    @Override
    public void providerCall(String provider, Duration took, boolean failed) {
        write(
                "ProviderLatency",
                "Milliseconds",
                took.toMillis(),
                Map.of("Provider", provider),
                List.of(List.of("Provider")));
        if (failed) {
            write("ProviderErrors", "Count", 1, Map.of("Provider", provider), List.of(List.of("Provider")));
        }
    }

    @Override
    public void webhookAttempt(boolean delivered) {
        write("WebhookDeliveries", "Count", 1, Map.of(), List.of(List.of()));
        if (!delivered) {
            write("WebhookFailures", "Count", 1, Map.of(), List.of(List.of()));
        }
    }

    @Override
    public void deadLettered() {
        write("DeadLettered", "Count", 1, Map.of(), List.of(List.of()));
    }

    @Override
    public void invoked(String function) {
        if (invoked.compareAndSet(false, true)) {
            write("ColdStart", "Count", 1, Map.of("Function", function), List.of(List.of("Function")));
        }
    }

    /** One data point: {@code _aws} says what to extract, the members hold each dimension's and the metric's value. */
    private void write(
            String metric,
            String unit,
            double value,
            Map<String, String> dimensions,
            List<List<String>> dimensionSets) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode sets = directive.putArray("Dimensions");
        dimensionSets.forEach(set -> set.forEach(sets.addArray()::add));
        directive.putArray("Metrics").addObject().put("Name", metric).put("Unit", unit);
        dimensions.forEach(line::put);
        if (value == Math.rint(value)) {
            line.put(metric, (long) value);
        } else {
            line.put(metric, value);
        }
        out.accept(line.toString());
    }
}
