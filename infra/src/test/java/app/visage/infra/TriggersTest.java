package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The non-HTTP triggers, each on the live alias: uploads/ object-created → upload, the work queue → worker,
 * the schedule → cleanup.
 */
class TriggersTest {

    @Test
    void objectsCreatedUnderUploadsNotifyTheUploadAlias() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            String uploadAlias = Synth.aliasId(s, Synth.functionId(s, "upload"));
            String bucket = Synth.logicalIdOfType(s, "AWS::S3::Bucket");
            Map<String, Object> props =
                    Json.map(Json.map(s.resources().get(Synth.logicalIdOfType(s, "Custom::S3BucketNotifications")))
                            .get("Properties"));
            assertEquals(Map.of("Ref", bucket), props.get("BucketName"));
            Map<String, Object> config = Json.map(props.get("NotificationConfiguration"));
            assertEquals(List.of("LambdaFunctionConfigurations"), List.copyOf(config.keySet()));
            List<Object> lambdas = Json.list(config.get("LambdaFunctionConfigurations"));
            assertEquals(1, lambdas.size());
            Map<String, Object> only = Json.map(lambdas.getFirst());
            assertEquals(List.of("s3:ObjectCreated:*"), only.get("Events"));
            assertEquals(
                    Map.of("Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix", "Value", "uploads/")))),
                    only.get("Filter"));
            assertEquals(Map.of("Ref", uploadAlias), only.get("LambdaFunctionArn"));

            long permissions = s.resources().values().stream()
                    .map(Json::map)
                    .filter(r -> "AWS::Lambda::Permission".equals(r.get("Type")))
                    .map(r -> Json.map(r.get("Properties")))
                    .filter(p -> "s3.amazonaws.com".equals(p.get("Principal")))
                    .filter(p -> Map.of("Ref", uploadAlias).equals(p.get("FunctionName")))
                    .filter(p -> Map.of("Fn::GetAtt", List.of(bucket, "Arn")).equals(p.get("SourceArn")))
                    .count();
            assertEquals(1, permissions, "S3 may invoke the upload alias, for this bucket only");
        }
    }

    @Test
    void theWorkQueueFeedsTheWorkerAliasInBatchesThatMayPartlyFail() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            Map<String, Object> mapping =
                    Json.map(Json.map(s.resources().get(Synth.logicalIdOfType(s, "AWS::Lambda::EventSourceMapping")))
                            .get("Properties"));
            // The CDK names the alias as function:live, the function's name cut out of the alias's ARN.
            Map<String, Object> functionName = Map.of(
                    "Fn::Select",
                    List.of(
                            6,
                            Map.of(
                                    "Fn::Split",
                                    List.of(":", Map.of("Ref", Synth.aliasId(s, Synth.functionId(s, "worker")))))));
            assertEquals(Map.of("Fn::Join", List.of("", List.of(functionName, ":live"))), mapping.get("FunctionName"));
            assertEquals(Map.of("Fn::GetAtt", List.of(Synth.workQueueId(s), "Arn")), mapping.get("EventSourceArn"));
            assertEquals(1, ((Number) mapping.get("BatchSize")).intValue(), "a step may take most of the timeout");
            assertNull(mapping.get("MaximumBatchingWindowInSeconds"), "no message waits for a batch to fill");
            // Without it one failed message would make Lambda retry the whole batch.
            assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
            assertNull(mapping.get("ScalingConfig"), "no cap unless asked for");
        }
    }

    @Test
    void theWorkersConcurrencyCanBeCappedByContext() {
        Synth.Synthesized s = Synth.overridden();
        assertEquals(
                Map.of("MaximumConcurrency", 5),
                Json.path(
                        Json.map(s.resources().get(Synth.logicalIdOfType(s, "AWS::Lambda::EventSourceMapping"))),
                        "Properties",
                        "ScalingConfig"));
    }

    @Test
    void cleanupRunsEveryFiveMinutesOnItsAlias() {
        Synth.Synthesized s = Synth.jvm();
        assertSchedule(s, "rate(5 minutes)");
    }

    @Test
    void theScheduleCanBeChangedByContext() {
        assertSchedule(Synth.overridden(), "rate(1 minute)");
    }

    private static void assertSchedule(Synth.Synthesized s, String expression) {
        String cleanupAlias = Synth.aliasId(s, Synth.functionId(s, "cleanup"));
        s.template().resourceCountIs("AWS::Events::Rule", 1);
        Map<String, Object> rule = Json.map(Json.map(s.resources().get(Synth.logicalIdOfType(s, "AWS::Events::Rule")))
                .get("Properties"));
        assertEquals(expression, rule.get("ScheduleExpression"));
        assertEquals("ENABLED", rule.get("State"));
        List<Object> targets = Json.list(rule.get("Targets"));
        assertEquals(1, targets.size());
        assertEquals(Map.of("Ref", cleanupAlias), Json.map(targets.getFirst()).get("Arn"));
        s.template()
                .hasResourceProperties(
                        "AWS::Lambda::Permission",
                        Map.of(
                                "Action",
                                "lambda:InvokeFunction",
                                "Principal",
                                "events.amazonaws.com",
                                "FunctionName",
                                Map.of("Ref", cleanupAlias),
                                "SourceArn",
                                Map.of("Fn::GetAtt", List.of(Synth.logicalIdOfType(s, "AWS::Events::Rule"), "Arn"))));
    }
}
