package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The six functions of the one artifact: one export each, the right runtime per variant, env, aliases. */
class FunctionsTest {
    static final List<String> EXPORTS = List.of("submit", "status", "webhook", "upload", "worker", "cleanup");
    static final String JVM_HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";
    static final Map<String, Integer> MEMORY =
            Map.of("submit", 1024, "status", 512, "webhook", 512, "upload", 1024, "worker", 1024, "cleanup", 512);
    static final Map<String, Integer> TIMEOUT =
            Map.of("submit", 29, "status", 29, "webhook", 29, "upload", 120, "worker", 120, "cleanup", 300);
    /** The functions that authenticate clients, so carry the auth settings. */
    static final Set<String> CLIENT_FACING = Set.of("submit", "status");

    static final Set<String> ENV = Set.of(
            "QUARKUS_FUNQY_EXPORT",
            "VISAGE_BUCKET",
            "VISAGE_PUBLIC_BASE_URL",
            "VISAGE_SECRETS_ARN",
            "VISAGE_QUEUE_URL",
            // The Parameters and Secrets extension's settings, as the CDK writes them.
            "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED",
            "PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE",
            "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
            "PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL",
            "PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS",
            "SECRETS_MANAGER_TIMEOUT_MILLIS",
            "SECRETS_MANAGER_TTL",
            "SSM_PARAMETER_STORE_TIMEOUT_MILLIS",
            "SSM_PARAMETER_STORE_TTL");

    @Test
    void sixFunctionsEachExportingOneFunction() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            List<String> exports = new ArrayList<>();
            s.resources().values().stream()
                    .map(Json::map)
                    .filter(r -> "AWS::Lambda::Function".equals(r.get("Type")))
                    .map(Synth::env)
                    .filter(env -> env.containsKey("QUARKUS_FUNQY_EXPORT"))
                    .forEach(env -> exports.add((String) env.get("QUARKUS_FUNQY_EXPORT")));
            assertEquals(
                    EXPORTS.stream().sorted().toList(),
                    exports.stream().sorted().toList());
            // The seventh is the CDK's own handler of the bucket notification (Python, inline).
            s.template().resourceCountIs("AWS::Lambda::Function", 7);
            s.template()
                    .resourcePropertiesCountIs(
                            "AWS::Lambda::Function",
                            Map.of("Description", Match.stringLikeRegexp(".*Custom::S3BucketNotifications.*")),
                            1);
        }
    }

    @Test
    void jvmVariantRunsAllSixOnJava21WithSnapStart() {
        Synth.Synthesized s = Synth.jvm();
        for (String export : EXPORTS) {
            Map<String, Object> props = properties(s, export);
            assertEquals("java21", props.get("Runtime"), export);
            assertEquals(JVM_HANDLER, props.get("Handler"), export);
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), props.get("SnapStart"), export);
            assertEquals(List.of("x86_64"), props.get("Architectures"), export);
            assertEquals(MEMORY.get(export), ((Number) props.get("MemorySize")).intValue(), export);
            assertEquals(TIMEOUT.get(export), ((Number) props.get("Timeout")).intValue(), export);
        }
        assertEquals(1, codeKeys(s, EXPORTS).size(), "one artifact for all six");
    }

    @Test
    void cleanupNeverRunsTheEngineSoItIsSmallerThanTheFunctionsThatDo() {
        Synth.Synthesized s = Synth.jvm();
        int cleanup = ((Number) properties(s, "cleanup").get("MemorySize")).intValue();
        for (String engine : List.of("upload", "worker")) {
            assertTrue(cleanup < ((Number) properties(s, engine).get("MemorySize")).intValue(), engine);
        }
    }

    @Test
    void nativeVariantRunsTheApiFunctionsNativeAndTheEngineOnesOnJava21() {
        Synth.Synthesized s = Synth.nativeVariant();
        List<String> nativeOnes = List.of("submit", "status", "webhook");
        List<String> jvmOnes = List.of("upload", "worker", "cleanup");
        for (String export : nativeOnes) {
            Map<String, Object> props = properties(s, export);
            assertEquals("provided.al2023", props.get("Runtime"), export);
            assertEquals("bootstrap", props.get("Handler"), export);
            assertNull(props.get("SnapStart"), export);
            assertEquals(
                    "true",
                    Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))))
                            .get("DISABLE_SIGNAL_HANDLERS"),
                    export);
            assertEquals(MEMORY.get(export), ((Number) props.get("MemorySize")).intValue(), export);
            assertEquals(TIMEOUT.get(export), ((Number) props.get("Timeout")).intValue(), export);
        }
        for (String export : jvmOnes) {
            Map<String, Object> props = properties(s, export);
            assertEquals("java21", props.get("Runtime"), export);
            assertEquals(JVM_HANDLER, props.get("Handler"), export);
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), props.get("SnapStart"), export);
            assertNull(
                    Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))))
                            .get("DISABLE_SIGNAL_HANDLERS"),
                    export);
        }
        Set<String> nativeCode = codeKeys(s, nativeOnes);
        Set<String> jvmCode = codeKeys(s, jvmOnes);
        assertEquals(1, nativeCode.size(), "one native artifact");
        assertEquals(1, jvmCode.size(), "one JVM artifact");
        assertNotEquals(nativeCode, jvmCode, "the native functions run the native artifact");
    }

    @Test
    void everyFunctionGetsItsExportTheBucketTheApiUrlTheSecretArnTheQueueAndTheClientAuthOfItsOwnAndNothingElse() {
        // Each variant, and the auth setting its client-facing functions get.
        for (var variant : List.of(
                Map.entry(Synth.jvm(), "VISAGE_AUTH_API_KEYS"),
                Map.entry(Synth.nativeVariant(), "VISAGE_AUTH_API_KEYS"),
                Map.entry(Synth.jwt(), "VISAGE_AUTH_JWT_TENANT_CLAIM"))) {
            Synth.Synthesized s = variant.getKey();
            String bucket = Synth.logicalIdOfType(s, "AWS::S3::Bucket");
            String api = Synth.logicalIdOfType(s, "AWS::ApiGatewayV2::Api");
            String secret = Synth.logicalIdOfType(s, "AWS::SecretsManager::Secret");
            String queue = Synth.workQueueId(s);
            for (String export : EXPORTS) {
                Map<String, Object> env = Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))));
                Set<String> names = new java.util.HashSet<>(env.keySet());
                names.remove("DISABLE_SIGNAL_HANDLERS");
                Set<String> expected = new java.util.HashSet<>(ENV);
                if (CLIENT_FACING.contains(export)) {
                    expected.add(variant.getValue());
                }
                assertEquals(expected, names, export);
                assertEquals(export, env.get("QUARKUS_FUNQY_EXPORT"));
                assertEquals(Map.of("Ref", bucket), env.get("VISAGE_BUCKET"), export);
                assertEquals(
                        Map.of("Fn::GetAtt", List.of(api, "ApiEndpoint")), env.get("VISAGE_PUBLIC_BASE_URL"), export);
                assertEquals(Map.of("Ref", secret), env.get("VISAGE_SECRETS_ARN"), export);
                // Every function hands work on (visage.queue.url); a queue's Ref is its URL.
                assertEquals(Map.of("Ref", queue), env.get("VISAGE_QUEUE_URL"), export);
            }
        }
    }

    @Test
    void everyFunctionRunsTheSecretsExtensionTheAppReadsTheSecretThrough() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            for (String export : EXPORTS) {
                Map<String, Object> props = properties(s, export);
                List<Object> layers = Json.list(props.get("Layers"));
                assertEquals(1, layers.size(), export);
                List<Object> lookup = Json.list(Json.map(layers.getFirst()).get("Fn::FindInMap"));
                Map<String, Object> byRegion =
                        Json.map(Json.map(s.json().get("Mappings")).get(lookup.get(0)));
                String arn = (String) Json.map(byRegion.get("eu-west-1")).get(lookup.get(2));
                assertTrue(
                        arn.matches(
                                "arn:aws:lambda:eu-west-1:\\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension:\\d+"),
                        arn);
                assertEquals(
                        "2773",
                        Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))))
                                .get("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"),
                        export);
            }
        }
    }

    @Test
    void contextCanPinTheExtensionLayerAndRepublishForANewSecret() {
        Synth.Synthesized s = Synth.overridden();
        for (String export : EXPORTS) {
            Map<String, Object> props = properties(s, export);
            assertEquals(List.of(Synth.EXTENSION_LAYER), props.get("Layers"), export);
            assertEquals(
                    "2",
                    Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))))
                            .get("VISAGE_SECRETS_REVISION"),
                    export);
        }
        // A new revision is a new function configuration, so a new version (and SnapStart snapshot).
        Set<String> before = versionIds(Synth.jvm());
        Set<String> after = versionIds(s);
        assertTrue(java.util.Collections.disjoint(before, after), before + " / " + after);
    }

    private static Set<String> versionIds(Synth.Synthesized s) {
        return s.resources().entrySet().stream()
                .filter(e ->
                        "AWS::Lambda::Version".equals(Json.map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @Test
    void everyFunctionHasALiveAliasOnAPublishedVersion() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            for (String export : EXPORTS) {
                String fn = Synth.functionId(s, export);
                Map<String, Object> alias =
                        Json.map(Json.path(Json.map(s.resources().get(Synth.aliasId(s, fn))), "Properties"));
                assertEquals("live", alias.get("Name"), export);
                String version = (String)
                        Json.list(Json.map(alias.get("FunctionVersion")).get("Fn::GetAtt"))
                                .get(0);
                Map<String, Object> versionResource = Json.map(s.resources().get(version));
                assertEquals("AWS::Lambda::Version", versionResource.get("Type"), export);
                assertEquals(Map.of("Ref", fn), Json.path(versionResource, "Properties", "FunctionName"), export);
            }
        }
    }

    static Map<String, Object> properties(Synth.Synthesized s, String export) {
        return Json.map(Json.map(s.resources().get(Synth.functionId(s, export))).get("Properties"));
    }

    private static Set<String> codeKeys(Synth.Synthesized s, List<String> exports) {
        return exports.stream()
                .map(e -> Json.render(Json.path(properties(s, e), "Code", "S3Key")))
                .collect(Collectors.toSet());
    }
}
