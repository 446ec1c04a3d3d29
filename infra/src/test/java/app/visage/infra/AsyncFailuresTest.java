package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * upload (an S3 notification) and cleanup (a schedule) are invoked asynchronously: their {@code live} alias sends
 * an invocation that failed its retries to a queue of its own, encrypted, kept 14 days, and alarmed on
 * (MonitoringTest).
 */
class AsyncFailuresTest {

    @Test
    void uploadAndCleanupSendFailedInvocationsToTheirOwnQueueAfterDeliberateRetries() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            s.template().resourceCountIs("AWS::Lambda::EventInvokeConfig", 2);
            for (var expected : Map.of("upload", 2, "cleanup", 0).entrySet()) {
                String export = expected.getKey();
                Map<String, Object> config = MonitoringTest.properties(s, Synth.eventInvokeConfigId(s, export));
                // The alias's name, as the CDK takes it from the alias's ARN: the alias the triggers invoke.
                String alias = Synth.aliasId(s, Synth.functionId(s, export));
                assertEquals(
                        Map.of("Fn::Select", List.of(7, Map.of("Fn::Split", List.of(":", Map.of("Ref", alias))))),
                        config.get("Qualifier"));
                assertEquals(expected.getValue(), ((Number) config.get("MaximumRetryAttempts")).intValue(), export);
                String queue = Synth.failureQueueId(s, export);
                Map<String, Object> props = MonitoringTest.properties(s, queue);
                assertEquals(true, props.get("SqsManagedSseEnabled"), queue);
                assertEquals(14 * 24 * 3600, ((Number) props.get("MessageRetentionPeriod")).intValue(), queue);
            }
        }
    }

    @Test
    void theTwoFailureQueuesAreDistinctFromTheWorkQueues() {
        Synth.Synthesized s = Synth.jvm();
        List<String> queues = List.of(
                Synth.failureQueueId(s, "upload"),
                Synth.failureQueueId(s, "cleanup"),
                Synth.workQueueId(s),
                Synth.deadLetterQueueId(s));
        assertEquals(4, queues.stream().distinct().count(), queues.toString());
    }

    @Test
    void onlyEachFunctionMaySendToItsFailureQueueAndEventBridgeToCleanups() {
        Synth.Synthesized s = Synth.jvm();
        for (String export : List.of("upload", "cleanup")) {
            String queueArn = "${" + Synth.failureQueueId(s, export) + ".Arn}";
            List<IamScopingTest.Statement> granting = IamScopingTest.statements(s).stream()
                    .filter(st -> "Allow".equals(st.effect()))
                    .filter(st -> st.resources().contains(queueArn))
                    .toList();
            List<IamScopingTest.Statement> byRoles = granting.stream()
                    .filter(st -> st.json().get("Principal") == null)
                    .toList();
            assertEquals(1, byRoles.size(), granting.toString());
            assertEquals(IamScopingTest.roleOf(s, export), byRoles.getFirst().owner());
            assertEquals(
                    List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                    byRoles.getFirst().actions());
            List<IamScopingTest.Statement> byServices = granting.stream()
                    .filter(st -> st.json().get("Principal") != null)
                    .toList();
            if (export.equals("cleanup")) {
                // The schedule's dead letters, from that rule only.
                assertEquals(1, byServices.size(), byServices.toString());
                IamScopingTest.Statement events = byServices.getFirst();
                assertEquals(
                        Map.of("Service", "events.amazonaws.com"), events.json().get("Principal"));
                assertEquals(List.of("sqs:SendMessage"), events.actions());
                String rule = Synth.logicalIdOfType(s, "AWS::Events::Rule");
                assertEquals(
                        Map.of("ArnEquals", Map.of("aws:SourceArn", Map.of("Fn::GetAtt", List.of(rule, "Arn")))),
                        events.json().get("Condition"));
                assertEquals(
                        Map.of("Arn", Map.of("Fn::GetAtt", List.of(Synth.failureQueueId(s, export), "Arn"))),
                        Json.map(Json.list(MonitoringTest.properties(s, rule).get("Targets"))
                                        .getFirst())
                                .get("DeadLetterConfig"));
            } else {
                assertEquals(List.of(), byServices);
            }
        }
    }
}
