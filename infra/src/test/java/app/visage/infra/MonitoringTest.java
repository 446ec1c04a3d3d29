package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The alarms (each function's errors and throttles, every failure queue, the API's 5xx rate, each provider's job
 * failure rate and p90 latency, client webhook failures), the topic they notify and the dashboard that shows them.
 * The dead-letter and worker-errors alarms' outputs are WorkQueueTest's.
 */
class MonitoringTest {
    private static final List<String> PROVIDERS = OperationsSettings.DEFAULT_PROVIDERS;

    @Test
    void everyFunctionHasAnErrorsAndAThrottlesAlarm() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            for (String export : FunctionsTest.EXPORTS) {
                for (String metric : List.of("Errors", "Throttles")) {
                    Map<String, Object> props =
                            properties(s, alarm(s, "AWS/Lambda", metric, Map.of("Ref", Synth.functionId(s, export))));
                    assertEquals("Sum", props.get("Statistic"), export + " " + metric);
                    assertEquals(300, ((Number) props.get("Period")).intValue());
                    assertEquals("GreaterThanOrEqualToThreshold", props.get("ComparisonOperator"));
                    assertEquals(1, ((Number) props.get("Threshold")).intValue());
                    assertEquals("notBreaching", props.get("TreatMissingData"));
                }
            }
        }
    }

    @Test
    void everyFailureQueueRaisesAnAlarmWhileItHoldsAMessage() {
        Synth.Synthesized s = Synth.jvm();
        for (String queue : List.of(
                Synth.deadLetterQueueId(s), Synth.failureQueueId(s, "upload"), Synth.failureQueueId(s, "cleanup"))) {
            Map<String, Object> props = properties(
                    s,
                    alarm(
                            s,
                            "AWS/SQS",
                            "ApproximateNumberOfMessagesVisible",
                            Map.of("Fn::GetAtt", List.of(queue, "QueueName"))));
            assertEquals("Maximum", props.get("Statistic"), queue);
            assertEquals("GreaterThanThreshold", props.get("ComparisonOperator"), queue);
            assertEquals(0, ((Number) props.get("Threshold")).intValue(), queue);
        }
    }

    @Test
    void theApiAlarmsOnTheShareOfItsDefaultStagesRequestsAnswered5xx() {
        Synth.Synthesized s = Synth.jvm();
        Map<String, Object> props = properties(s, mathAlarm(s, "AWS/ApiGateway", "5xx"));
        Map<String, Map<String, Object>> metrics = metricsById(props);
        String api = Synth.logicalIdOfType(s, "AWS::ApiGatewayV2::Api");
        Map<String, Object> stage = Map.of("Name", "Stage", "Value", "$default");
        Map<String, Object> apiId = Map.of("Name", "ApiId", "Value", Map.of("Ref", api));
        assertEquals("5xx", metrics.get("errors").get("MetricName"));
        assertEquals(
                Set.of(apiId, stage), Set.copyOf(Json.list(metrics.get("errors").get("Dimensions"))));
        assertEquals("Count", metrics.get("requests").get("MetricName"));
        assertEquals(
                Set.of(apiId, stage),
                Set.copyOf(Json.list(metrics.get("requests").get("Dimensions"))));
        assertEquals("IF(FILL(requests,0) >= 20, 100 * FILL(errors,0) / FILL(requests,0), 0)", expression(props));
        assertEquals(5, ((Number) props.get("Threshold")).intValue());
        assertEquals("GreaterThanOrEqualToThreshold", props.get("ComparisonOperator"));
    }

    @Test
    void eachProviderHasAJobFailureRateAlarmOnItsFailedAndSucceededJobs() {
        assertFailureRateAlarms(Synth.jvm(), PROVIDERS);
        assertFailureRateAlarms(Synth.overridden(), List.of("fashn", "metahuman"));
    }

    private static void assertFailureRateAlarms(Synth.Synthesized s, List<String> providers) {
        List<String> alarms = alarmsOn(s, AppMetrics.NAMESPACE, AppMetrics.JOBS_ENDED);
        assertEquals(providers.size(), alarms.size(), alarms.toString());
        Set<String> seen = new TreeSet<>();
        for (String alarm : alarms) {
            Map<String, Object> props = properties(s, alarm);
            List<Map<String, Object>> metrics =
                    new ArrayList<>(metricsById(props).values());
            assertEquals(2, metrics.size(), alarm);
            Set<Object> statuses = new TreeSet<>();
            Set<Object> ofProviders = new TreeSet<>();
            for (Map<String, Object> metric : metrics) {
                Map<String, Object> dims = dimensions(metric);
                statuses.add(dims.get(AppMetrics.STATUS));
                ofProviders.add(dims.get(AppMetrics.PROVIDER));
            }
            assertEquals(Set.of("failed", "succeeded"), statuses, alarm);
            assertEquals(1, ofProviders.size(), alarm);
            seen.add((String) ofProviders.iterator().next());
            assertTrue(
                    expression(props)
                            .matches(
                                    "IF\\(\\(FILL\\(failed\\d+,0\\) \\+ FILL\\(succeeded\\d+,0\\)\\) >= 5,"
                                            + " 100 \\* FILL\\(failed\\d+,0\\) / \\(FILL\\(failed\\d+,0\\) \\+ FILL\\(succeeded\\d+,0\\)\\), 0\\)"),
                    expression(props));
            assertEquals(20, ((Number) props.get("Threshold")).intValue());
            assertEquals("notBreaching", props.get("TreatMissingData"));
        }
        assertEquals(new TreeSet<>(providers), seen);
    }

    @Test
    void eachProviderHasALatencyAlarmOnItsP90() {
        Synth.Synthesized s = Synth.jvm();
        for (String provider : PROVIDERS) {
            Map<String, Object> props =
                    properties(s, alarm(s, AppMetrics.NAMESPACE, AppMetrics.PROVIDER_LATENCY, provider));
            assertEquals(List.of(Map.of("Name", "Provider", "Value", provider)), props.get("Dimensions"));
            assertEquals("p90", props.get("ExtendedStatistic"), provider);
            assertEquals(900, ((Number) props.get("Period")).intValue());
            assertEquals(10_000, ((Number) props.get("Threshold")).intValue());
        }
    }

    @Test
    void clientWebhookFailuresAlarmOnTheirShareOfDeliveries() {
        Synth.Synthesized s = Synth.jvm();
        Map<String, Object> props = properties(s, mathAlarm(s, AppMetrics.NAMESPACE, AppMetrics.WEBHOOK_FAILURES));
        Map<String, Map<String, Object>> metrics = metricsById(props);
        assertEquals(AppMetrics.WEBHOOK_FAILURES, metrics.get("failures").get("MetricName"));
        assertEquals(AppMetrics.WEBHOOK_DELIVERIES, metrics.get("attempts").get("MetricName"));
        metrics.values().forEach(m -> assertEquals(null, m.get("Dimensions"), m.toString()));
        assertEquals("IF(FILL(attempts,0) >= 5, 100 * FILL(failures,0) / FILL(attempts,0), 0)", expression(props));
        assertEquals(20, ((Number) props.get("Threshold")).intValue());
    }

    @Test
    void everyAlarmNotifiesTheTopicAndNoOtherAlarmExists() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.overridden())) {
            int providers = s == Synth.jvm() ? PROVIDERS.size() : 2;
            // 3 failure queues, 6 functions × (errors, throttles), the API, 2 per provider, client webhooks.
            s.template().resourceCountIs("AWS::CloudWatch::Alarm", 3 + 12 + 1 + 2 * providers + 1);
            String topic = topicId(s);
            s.resources().forEach((id, r) -> {
                if ("AWS::CloudWatch::Alarm".equals(Json.map(r).get("Type"))) {
                    assertEquals(
                            List.of(Map.of("Ref", topic)), properties(s, id).get("AlarmActions"), id);
                }
            });
            s.template().hasOutput("AlarmTopicArn", Map.of("Value", Map.of("Ref", topic)));
        }
    }

    @Test
    void theTopicMailsTheAlarmEmailOnlyWhenOneIsGiven() {
        Synth.jvm().template().resourceCountIs("AWS::SNS::Subscription", 0);
        Synth.Synthesized s = Synth.overridden();
        s.template().resourceCountIs("AWS::SNS::Subscription", 1);
        s.template()
                .hasResourceProperties(
                        "AWS::SNS::Subscription",
                        Map.of(
                                "Protocol",
                                "email",
                                "Endpoint",
                                Synth.ALARM_EMAIL,
                                "TopicArn",
                                Map.of("Ref", topicId(s))));
    }

    @Test
    void oneDashboardShowsEveryAlarm() {
        Synth.Synthesized s = Synth.jvm();
        String dashboard = Synth.logicalIdOfType(s, "AWS::CloudWatch::Dashboard");
        String body = Json.render(properties(s, dashboard).get("DashboardBody"));
        s.resources().forEach((id, r) -> {
            if ("AWS::CloudWatch::Alarm".equals(Json.map(r).get("Type"))) {
                assertTrue(body.contains("${" + id + ".Arn}"), id + " is not on the dashboard");
            }
        });
        for (String shown : List.of("AWS/ApiGateway", "ApproximateAgeOfOldestMessage", "JobsEnded", "p90")) {
            assertTrue(body.contains(shown), shown);
        }
        s.template().hasOutput("DashboardName", Map.of("Value", Map.of("Ref", dashboard)));
    }

    /** The providers watched by default are the app's: local and each one application.properties configures. */
    @Test
    void theDefaultProvidersAreTheAppsProviders() throws java.io.IOException {
        Set<String> configured = new TreeSet<>(Set.of("local"));
        java.util.regex.Pattern key = java.util.regex.Pattern.compile("^visage\\.providers\\.([a-z0-9-]+)\\.");
        for (String line : java.nio.file.Files.readAllLines(
                Synth.INFRA_DIR.resolve("../src/main/resources/application.properties"))) {
            java.util.regex.Matcher m = key.matcher(line);
            if (m.find()) {
                configured.add(m.group(1));
            }
        }
        assertEquals(configured, new TreeSet<>(PROVIDERS));
    }

    @Test
    void aMalformedAlarmEmailOrProviderIdIsRefusedAtSynth() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("alarmEmail", "oncall@example.com,boss@example.com"),
                Map.of("alarmEmail", "oncall"),
                Map.of("providers", "fashn,Meta Human"),
                Map.of("providers", " , "))) {
            Map<String, Object> context = new java.util.HashMap<>(bad);
            context.put("apiKeys", Synth.API_KEYS);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> Synth.synth(context), bad.toString());
            String key = bad.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith("context " + key + " must be"), e.getMessage());
        }
    }

    static String topicId(Synth.Synthesized s) {
        return Synth.logicalIdOfType(s, "AWS::SNS::Topic");
    }

    /** The one alarm on this metric whose one dimension has this value. */
    static String alarm(Synth.Synthesized s, String namespace, String metric, Object dimensionValue) {
        List<String> ids = alarmsOn(s, namespace, metric).stream()
                .filter(id -> Json.list(properties(s, id).get("Dimensions")).stream()
                        .anyMatch(d -> dimensionValue.equals(Json.map(d).get("Value"))))
                .toList();
        assertEquals(1, ids.size(), namespace + " " + metric + " " + dimensionValue + ": " + ids);
        return ids.getFirst();
    }

    /** The one alarm with a metric expression over this metric. */
    private static String mathAlarm(Synth.Synthesized s, String namespace, String metric) {
        List<String> ids = alarmsOn(s, namespace, metric);
        assertEquals(1, ids.size(), namespace + " " + metric + ": " + ids);
        return ids.getFirst();
    }

    /** Alarms on this metric, alone or in their expression. */
    private static List<String> alarmsOn(Synth.Synthesized s, String namespace, String metric) {
        return s.resources().entrySet().stream()
                .filter(e ->
                        "AWS::CloudWatch::Alarm".equals(Json.map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey)
                .filter(id -> {
                    Map<String, Object> props = properties(s, id);
                    if (metric.equals(props.get("MetricName"))) {
                        return namespace.equals(props.get("Namespace"));
                    }
                    return metricsById(props).values().stream()
                            .anyMatch(m -> metric.equals(m.get("MetricName")) && namespace.equals(m.get("Namespace")));
                })
                .toList();
    }

    /** The metrics an alarm's expression uses, by their id. */
    private static Map<String, Map<String, Object>> metricsById(Map<String, Object> alarm) {
        Map<String, Map<String, Object>> metrics = new java.util.TreeMap<>();
        for (Object m : Json.list(alarm.get("Metrics"))) {
            Object metric = Json.path(Json.map(m), "MetricStat", "Metric");
            if (metric != null) {
                metrics.put((String) Json.map(m).get("Id"), Json.map(metric));
            }
        }
        return metrics;
    }

    /** The expression whose value the alarm compares. */
    private static String expression(Map<String, Object> alarm) {
        List<String> returned = Json.list(alarm.get("Metrics")).stream()
                .map(Json::map)
                .filter(m -> Boolean.TRUE.equals(m.get("ReturnData")) || m.get("ReturnData") == null)
                .filter(m -> m.get("Expression") != null)
                .map(m -> (String) m.get("Expression"))
                .toList();
        assertEquals(1, returned.size(), alarm.toString());
        return returned.getFirst();
    }

    private static Map<String, Object> dimensions(Map<String, Object> metric) {
        Map<String, Object> dims = new java.util.TreeMap<>();
        Json.list(metric.get("Dimensions"))
                .forEach(d ->
                        dims.put((String) Json.map(d).get("Name"), Json.map(d).get("Value")));
        return dims;
    }

    static Map<String, Object> properties(Synth.Synthesized s, String logicalId) {
        return Json.map(Json.map(s.resources().get(logicalId)).get("Properties"));
    }
}
