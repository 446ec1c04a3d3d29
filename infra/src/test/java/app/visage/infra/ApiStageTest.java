package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTTP API's one stage: JSON access logs that never hold a path or query string, and default throttling. */
class ApiStageTest {
    /** A flat JSON object of string values, as the access log format is written. */
    private static final Pattern FIELD = Pattern.compile("\"([A-Za-z]+)\":\"([^\"]*)\"");

    @Test
    void theDefaultStageDeploysItselfAndIsTheOnlyOne() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.jwt())) {
            s.template().resourceCountIs("AWS::ApiGatewayV2::Stage", 1);
            Map<String, Object> stage = stage(s);
            assertEquals("$default", stage.get("StageName"));
            assertEquals(true, stage.get("AutoDeploy"));
            assertEquals(Map.of("Ref", Synth.logicalIdOfType(s, "AWS::ApiGatewayV2::Api")), stage.get("ApiId"));
        }
    }

    @Test
    void accessLogsAreJsonWithNoPathNoQueryStringAndNoRequestOverride() {
        Synth.Synthesized s = Synth.jvm();
        String format = (String) Json.path(stage(s), "AccessLogSettings", "Format");
        Map<String, String> fields = fields(format);
        assertEquals(Visage.ACCESS_LOG_FIELDS, fields);
        for (String field : List.of("requestId", "ip", "routeKey", "status", "responseLength", "integrationLatency")) {
            assertTrue(fields.containsKey(field), field);
        }
        assertEquals("$context.routeKey", fields.get("routeKey"));
        for (String variable : fields.values()) {
            assertTrue(variable.matches("\\$context\\.[A-Za-z.]+"), variable);
            assertFalse(variable.startsWith("$context.path"), "the path: " + variable);
            assertFalse(variable.toLowerCase().contains("querystring"), "the query string: " + variable);
            assertFalse(variable.startsWith("$context.requestOverride"), variable);
            assertFalse(variable.startsWith("$context.customDomain"), variable);
            assertFalse(variable.startsWith("$input") || variable.startsWith("$request"), variable);
        }
    }

    @Test
    void accessLogsGoToTheirOwnLogGroupKeptTwoWeeks() {
        Synth.Synthesized s = Synth.jvm();
        Object destination = Json.path(stage(s), "AccessLogSettings", "DestinationArn");
        String group =
                (String) Json.list(Json.map(destination).get("Fn::GetAtt")).getFirst();
        Map<String, Object> logGroup = Json.map(s.resources().get(group));
        assertEquals("AWS::Logs::LogGroup", logGroup.get("Type"));
        assertEquals(14, ((Number) Json.path(logGroup, "Properties", "RetentionInDays")).intValue());
    }

    @Test
    void theStageThrottlesEveryRouteByDefaultAndTheContextSetsTheLimits() {
        assertThrottle(Synth.jvm(), 50, 100);
        assertThrottle(Synth.overridden(), 20, 40);
    }

    @Test
    void aThrottleOutsideApiGatewaysLimitsIsRefusedAtSynth() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("apiThrottleRate", "0"), Map.of("apiThrottleBurst", "5001"), Map.of("apiThrottleRate", "x"))) {
            Map<String, Object> context = new LinkedHashMap<>(bad);
            context.put("apiKeys", Synth.API_KEYS);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> Synth.synth(context));
            assertTrue(e.getMessage().startsWith("context apiThrottle"), e.getMessage());
        }
    }

    private static void assertThrottle(Synth.Synthesized s, int rate, int burst) {
        Map<String, Object> settings = Json.map(stage(s).get("DefaultRouteSettings"));
        assertEquals(rate, ((Number) settings.get("ThrottlingRateLimit")).intValue());
        assertEquals(burst, ((Number) settings.get("ThrottlingBurstLimit")).intValue());
    }

    static Map<String, String> fields(String format) {
        assertTrue(format.startsWith("{") && format.endsWith("}"), format);
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(format);
        int end = 1;
        while (m.find()) {
            assertEquals(end, m.start(), "not a flat JSON object of strings: " + format);
            fields.put(m.group(1), m.group(2));
            end = m.end() + 1;
        }
        assertEquals(format.length(), end, "not a flat JSON object of strings: " + format);
        return fields;
    }

    private static Map<String, Object> stage(Synth.Synthesized s) {
        return MonitoringTest.properties(s, Synth.logicalIdOfType(s, "AWS::ApiGatewayV2::Stage"));
    }
}
