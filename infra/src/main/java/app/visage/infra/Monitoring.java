package app.visage.infra;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * What an operator watches: alarms on dead letters (work and async failures), each function's errors and
 * throttles, the API's 5xx rate, each provider's job failure rate and p90 latency, client webhook failures; all
 * notify one SNS topic, and one dashboard shows them. The app's own metrics are {@link AppMetrics}.
 */
public final class Monitoring extends Construct {
    /** Alarms on rates wait for this many events in a period, so one failure of two jobs does not page anyone. */
    public static final int MIN_EVENTS_FOR_A_RATE = 5;

    public static final int API_5XX_PERCENT = 5;
    public static final int API_MIN_REQUESTS = 20;
    public static final int JOB_FAILURE_PERCENT = 20;
    public static final int WEBHOOK_FAILURE_PERCENT = 20;
    /** A provider whose calls take longer than this at p90 makes submit's inline start (25 s at most) a gamble. */
    public static final int PROVIDER_LATENCY_P90_MS = 10_000;

    private static final Duration RATE_PERIOD = Duration.minutes(15);

    private final Topic topic;
    private final Dashboard dashboard;
    private final List<IAlarm> alarms = new ArrayList<>();
    private final Map<VisageFunction, Alarm> errors = new EnumMap<>(VisageFunction.class);
    private final Alarm deadLetterAlarm;

    Monitoring(
            Construct scope,
            String id,
            OperationsSettings settings,
            Map<VisageFunction, Function> functions,
            HttpStage stage,
            Queue deadLetters,
            Queue work,
            Map<VisageFunction, Queue> asyncFailures) {
        super(scope, id);
        topic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("Visage alarms")
                .enforceSsl(true)
                .build();
        if (settings.alarmEmail() != null) {
            topic.addSubscription(new EmailSubscription(settings.alarmEmail()));
        }

        deadLetterAlarm = queueNotEmpty(
                "DeadLettersAlarm",
                deadLetters,
                "Visage: work that failed " + Visage.WORK_MAX_RECEIVES
                        + " times waits in the dead-letter queue; docs/deployment.md says how to redrive it");
        asyncFailures.forEach((vf, queue) -> queueNotEmpty(
                vf.id + "FailuresAlarm",
                queue,
                "Visage: a failed " + vf.export + " invocation (after its retries) waits in its failure queue"
                        + " (docs/deployment.md)"));
        for (VisageFunction vf : VisageFunction.values()) {
            Function fn = functions.get(vf);
            // A worker's failed message alone is a partial batch failure, not an error: Errors counts crashes and
            // timeouts, for every function.
            errors.put(
                    vf,
                    atLeastOne(
                            vf.id + "ErrorsAlarm",
                            fn.metricErrors(),
                            "Visage: a " + vf.export + " invocation failed as a whole (a crash or a timeout)"));
            atLeastOne(
                    vf.id + "ThrottlesAlarm",
                    fn.metricThrottles(),
                    "Visage: " + vf.export + " invocations were throttled (the account's or the function's"
                            + " concurrency is used up)");
        }

        MetricOptions fiveMinuteSums = MetricOptions.builder()
                .statistic("Sum")
                .period(Duration.minutes(5))
                .build();
        MathExpression api5xxRate = percent(
                "API 5xx %",
                "FILL(errors,0)",
                "FILL(requests,0)",
                Map.of(
                        "errors", stage.metricServerError(fiveMinuteSums),
                        "requests", stage.metricCount(fiveMinuteSums)),
                API_MIN_REQUESTS,
                Duration.minutes(5));
        above(
                "Api5xxRateAlarm",
                api5xxRate,
                API_5XX_PERCENT,
                "Visage: " + API_5XX_PERCENT + "% or more of the API's requests answered 5xx over 5 minutes (at least "
                        + API_MIN_REQUESTS + " requests)");

        List<IMetric> failureRates = new ArrayList<>();
        List<IMetric> latencies = new ArrayList<>();
        List<IMetric> failedJobs = new ArrayList<>();
        for (int i = 0; i < settings.providers().size(); i++) {
            String provider = settings.providers().get(i);
            Metric succeeded = jobsEnded(provider, AppMetrics.SUCCEEDED);
            Metric failed = jobsEnded(provider, AppMetrics.FAILED);
            // Canceled jobs say nothing of the provider; the ids are unique in the graph that shows every rate.
            String f = "failed" + i;
            String ok = "succeeded" + i;
            MathExpression failureRate = percent(
                    provider + " failed %",
                    "FILL(" + f + ",0)",
                    "(FILL(" + f + ",0) + FILL(" + ok + ",0))",
                    Map.of(f, failed, ok, succeeded),
                    MIN_EVENTS_FOR_A_RATE,
                    RATE_PERIOD);
            above(
                    "JobFailureRateAlarm-" + provider,
                    failureRate,
                    JOB_FAILURE_PERCENT,
                    "Visage: " + JOB_FAILURE_PERCENT + "% or more of " + provider
                            + "'s jobs failed over 15 minutes (of its succeeded and failed jobs, at least "
                            + MIN_EVENTS_FOR_A_RATE + ")");
            failureRates.add(failureRate);
            failedJobs.add(failed);
            Metric latency = Metric.Builder.create()
                    .namespace(AppMetrics.NAMESPACE)
                    .metricName(AppMetrics.PROVIDER_LATENCY)
                    .dimensionsMap(Map.of(AppMetrics.PROVIDER, provider))
                    .statistic("p90")
                    .period(RATE_PERIOD)
                    .build();
            above(
                    "ProviderLatencyAlarm-" + provider,
                    latency,
                    PROVIDER_LATENCY_P90_MS,
                    "Visage: calls to " + provider + " took " + PROVIDER_LATENCY_P90_MS
                            + " ms or more at p90 over 15 minutes");
            latencies.add(latency.with(MetricOptions.builder().label(provider).build()));
        }

        Metric deliveries = appCount(AppMetrics.WEBHOOK_DELIVERIES);
        Metric deliveryFailures = appCount(AppMetrics.WEBHOOK_FAILURES);
        MathExpression webhookFailureRate = percent(
                "client webhook failed %",
                "FILL(failures,0)",
                "FILL(attempts,0)",
                Map.of("failures", deliveryFailures, "attempts", deliveries),
                MIN_EVENTS_FOR_A_RATE,
                RATE_PERIOD);
        above(
                "WebhookFailureRateAlarm",
                webhookFailureRate,
                WEBHOOK_FAILURE_PERCENT,
                "Visage: " + WEBHOOK_FAILURE_PERCENT + "% or more of client webhook deliveries failed over 15 minutes"
                        + " (of at least " + MIN_EVENTS_FOR_A_RATE + ")");

        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .defaultInterval(Duration.hours(3))
                .build();
        dashboard.addWidgets(AlarmStatusWidget.Builder.create()
                .title("Visage alarms")
                .alarms(alarms)
                .width(24)
                .height(6)
                .build());
        dashboard.addWidgets(
                graph(
                        "API requests, 4xx, 5xx",
                        List.of(stage.metricCount(), stage.metricClientError(), stage.metricServerError())),
                graph("API 5xx %", List.of(api5xxRate)),
                graph(
                        "API latency p90 (ms)",
                        List.of(stage.metricLatency(p90()), stage.metricIntegrationLatency(p90()))));
        dashboard.addWidgets(
                graph("Function errors", each(functions, Function::metricErrors)),
                graph("Function throttles", each(functions, Function::metricThrottles)),
                graph("Function duration p90 (ms)", each(functions, fn -> fn.metricDuration(p90()))));
        List<IMetric> failureQueues = new ArrayList<>(List.of(deadLetters.metricApproximateNumberOfMessagesVisible(
                MetricOptions.builder().label("work dead letters").build())));
        asyncFailures.forEach((vf, queue) -> failureQueues.add(queue.metricApproximateNumberOfMessagesVisible(
                MetricOptions.builder().label(vf.export + " failures").build())));
        dashboard.addWidgets(
                graph("Dead letters and async failures", failureQueues),
                graph(
                        "Work queue",
                        List.of(
                                work.metricApproximateNumberOfMessagesVisible(),
                                work.metricApproximateAgeOfOldestMessage())),
                GraphWidget.Builder.create()
                        .title("Client webhooks (attempts, failures; failed % right)")
                        .left(List.of(deliveries, deliveryFailures))
                        .right(List.of(webhookFailureRate))
                        .width(8)
                        .height(6)
                        .build());
        dashboard.addWidgets(
                graph("Jobs failed by provider", failedJobs),
                graph("Job failure rate by provider (%)", failureRates),
                graph("Provider latency p90 (ms)", latencies));
    }

    public Topic topic() {
        return topic;
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    public Alarm deadLetterAlarm() {
        return deadLetterAlarm;
    }

    public Alarm errorsAlarm(VisageFunction function) {
        return errors.get(function);
    }

    /** The CDK's defaults: the maximum over 5 minutes. */
    private Alarm queueNotEmpty(String id, Queue queue, String description) {
        return alarm(
                id,
                queue.metricApproximateNumberOfMessagesVisible(),
                0,
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                description);
    }

    /** Summed over 5 minutes (the CDK's default for these). */
    private Alarm atLeastOne(String id, IMetric count, String description) {
        return alarm(id, count, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, description);
    }

    private Alarm above(String id, IMetric metric, int threshold, String description) {
        return alarm(id, metric, threshold, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, description);
    }

    /** No data (no traffic, no job ended) is not a failure. */
    private Alarm alarm(String id, IMetric metric, int threshold, ComparisonOperator op, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .comparisonOperator(op)
                .threshold(threshold)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarms.add(alarm);
        return alarm;
    }

    /** {@code 100 * bad / all} in percent, 0 while {@code all} is below {@code min} events. */
    private static MathExpression percent(
            String label, String bad, String all, Map<String, IMetric> using, int min, Duration period) {
        return MathExpression.Builder.create()
                .label(label)
                .expression("IF(" + all + " >= " + min + ", 100 * " + bad + " / " + all + ", 0)")
                .usingMetrics(using)
                .period(period)
                .build();
    }

    private static Metric jobsEnded(String provider, String status) {
        return Metric.Builder.create()
                .namespace(AppMetrics.NAMESPACE)
                .metricName(AppMetrics.JOBS_ENDED)
                .dimensionsMap(Map.of(AppMetrics.PROVIDER, provider, AppMetrics.STATUS, status))
                .statistic("Sum")
                .period(RATE_PERIOD)
                .label(provider + " " + status)
                .build();
    }

    private static Metric appCount(String name) {
        return Metric.Builder.create()
                .namespace(AppMetrics.NAMESPACE)
                .metricName(name)
                .statistic("Sum")
                .period(RATE_PERIOD)
                .build();
    }

    private static MetricOptions p90() {
        return MetricOptions.builder().statistic("p90").build();
    }

    private static List<IMetric> each(
            Map<VisageFunction, Function> functions, java.util.function.Function<Function, Metric> metric) {
        List<IMetric> metrics = new ArrayList<>();
        functions.forEach((vf, fn) -> metrics.add(
                metric.apply(fn).with(MetricOptions.builder().label(vf.export).build())));
        return metrics;
    }

    private static IWidget graph(String title, List<IMetric> left) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(left)
                .width(8)
                .height(6)
                .build();
    }
}
