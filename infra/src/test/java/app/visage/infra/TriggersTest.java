package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The non-HTTP triggers: uploads/ object-created → upload, the schedule → cleanup, both on the live alias. */
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
    void cleanupRunsEveryFifteenMinutesOnItsAlias() {
        Synth.Synthesized s = Synth.jvm();
        assertSchedule(s, "rate(15 minutes)");
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
