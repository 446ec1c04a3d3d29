package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.visage.api.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The HTTP API: exactly the app's routes, each integrated (payload 2.0) with its function's live alias. */
class ApiRoutesTest {
    /** The app's route table (routeKey → function), read from the app's own {@link Route}. */
    static final Map<String, String> ROUTES = new LinkedHashMap<>();

    static {
        for (Route route : Route.values()) {
            ROUTES.put(route.routeKey(), route.function());
        }
    }

    @Test
    void theFiveRoutesReachTheirFunctionsThroughTheLiveAlias() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant(), Synth.jwt())) {
            Map<String, String> found = new TreeMap<>();
            s.resources().forEach((id, r) -> {
                Map<String, Object> resource = Json.map(r);
                if (!"AWS::ApiGatewayV2::Route".equals(resource.get("Type"))) {
                    return;
                }
                String routeKey = (String) Json.path(resource, "Properties", "RouteKey");
                String target = Json.render(Json.path(resource, "Properties", "Target"));
                assertTrue(target.startsWith("integrations/${") && target.endsWith("}"), target);
                String integrationId = target.substring("integrations/${".length(), target.length() - 1);
                Map<String, Object> integration =
                        Json.map(Json.map(s.resources().get(integrationId)).get("Properties"));
                assertEquals("AWS_PROXY", integration.get("IntegrationType"), routeKey);
                assertEquals("2.0", integration.get("PayloadFormatVersion"), routeKey);
                found.put(routeKey, Json.render(integration.get("IntegrationUri")));
            });
            Map<String, String> expected = new TreeMap<>();
            ROUTES.forEach((key, export) ->
                    expected.put(key, "${" + Synth.aliasId(s, Synth.functionId(s, export)) + "}"));
            assertEquals(expected, found);
        }
    }

    @Test
    void apiGatewayMayInvokeEachRoutesAliasFromThatRoutesPathOnly() {
        Synth.Synthesized s = Synth.jvm();
        String api = Synth.logicalIdOfType(s, "AWS::ApiGatewayV2::Api");
        for (Map.Entry<String, String> route : ROUTES.entrySet()) {
            String alias = Synth.aliasId(s, Synth.functionId(s, route.getValue()));
            String path = route.getKey().substring(route.getKey().indexOf(' ') + 1);
            long permissions = s.resources().values().stream()
                    .map(Json::map)
                    .filter(r -> "AWS::Lambda::Permission".equals(r.get("Type")))
                    .map(r -> Json.map(r.get("Properties")))
                    .filter(p -> "apigateway.amazonaws.com".equals(p.get("Principal")))
                    .filter(p -> Map.of("Ref", alias).equals(p.get("FunctionName")))
                    .filter(p -> Json.render(p.get("SourceArn")).endsWith(":${" + api + "}/*/*" + path))
                    .count();
            assertEquals(1, permissions, route.getKey());
        }
    }

    @Test
    void theDefaultStageDeploysItself() {
        Synth.jvm().template().resourceCountIs("AWS::ApiGatewayV2::Api", 1);
        Synth.jvm().template().hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP"));
        Synth.jvm()
                .template()
                .hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("StageName", "$default", "AutoDeploy", true));
        Synth.jvm()
                .template()
                .hasOutput(
                        "ApiUrl",
                        Map.of(
                                "Value",
                                Map.of(
                                        "Fn::GetAtt",
                                        List.of(
                                                Synth.logicalIdOfType(Synth.jvm(), "AWS::ApiGatewayV2::Api"),
                                                "ApiEndpoint"))));
        Synth.jvm()
                .template()
                .hasOutput(
                        "BucketName",
                        Match.objectLike(
                                Map.of("Value", Map.of("Ref", Synth.logicalIdOfType(Synth.jvm(), "AWS::S3::Bucket")))));
        Synth.jvm()
                .template()
                .hasOutput(
                        "SecretArn",
                        Match.objectLike(Map.of(
                                "Value",
                                Map.of("Ref", Synth.logicalIdOfType(Synth.jvm(), "AWS::SecretsManager::Secret")))));
    }
}
