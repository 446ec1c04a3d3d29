package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What the build left in infra/cdk.out/ (its synth runs before the tests), and that the templates
 * deploy: no dependency cycle among their resources (CloudFormation would refuse one; the CDK does
 * not check).
 */
class CloudAssemblyTest {
    static final Path CDK_OUT = Synth.INFRA_DIR.resolve("cdk.out");

    @Test
    void cdkOutHoldsTheSynthesizedStack() throws IOException {
        Path templateFile = CDK_OUT.resolve("Visage.template.json");
        assertTrue(
                Files.isRegularFile(templateFile),
                templateFile + " is missing: `./mvnw -f infra/pom.xml verify`" + " synthesizes it before the tests");
        assertTrue(Files.isRegularFile(CDK_OUT.resolve("manifest.json")));
        Template template = Template.fromString(Files.readString(templateFile));

        template.resourcePropertiesCountIs(
                "AWS::Lambda::Function",
                Map.of(
                        "Environment",
                        Map.of("Variables", Match.objectLike(Map.of("QUARKUS_FUNQY_EXPORT", Match.anyValue())))),
                FunctionsTest.EXPORTS.size());
        for (String export : FunctionsTest.EXPORTS) {
            template.resourcePropertiesCountIs(
                    "AWS::Lambda::Function",
                    Map.of(
                            "Environment",
                            Map.of("Variables", Match.objectLike(Map.of("QUARKUS_FUNQY_EXPORT", export)))),
                    1);
        }
        template.resourceCountIs("AWS::ApiGatewayV2::Route", ApiRoutesTest.ROUTES.size());
        ApiRoutesTest.ROUTES
                .keySet()
                .forEach(key -> template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey", key)));
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "PublicAccessBlockConfiguration",
                                Match.objectLike(Map.of("BlockPublicAcls", true, "RestrictPublicBuckets", true)),
                        "BucketEncryption", Match.anyValue(),
                        "LifecycleConfiguration",
                                Map.of(
                                        "Rules",
                                        Match.arrayWith(List.of(
                                                Match.objectLike(Map.of("Prefix", "uploads/", "ExpirationInDays", 2)),
                                                Match.objectLike(
                                                        Map.of("Prefix", "jobs/", "ExpirationInDays", 30))))))));
        Map<String, Object> uploadsFilter =
                Map.of("Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix", "Value", "uploads/"))));
        template.hasResourceProperties(
                "Custom::S3BucketNotifications",
                Map.of(
                        "NotificationConfiguration",
                        Map.of(
                                "LambdaFunctionConfigurations",
                                List.of(Match.objectLike(Map.of("Filter", uploadsFilter))))));
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of("ScheduleExpression", Match.stringLikeRegexp("rate\\(.*\\)|cron\\(.*\\)"))));
        Map<String, Object> dueListing = Map.of(
                "Action",
                "s3:ListBucket",
                "Condition",
                Map.of("StringLikeIfExists", Map.of("s3:prefix", List.of("due/*"))));
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(dueListing)))))));
    }

    @Test
    void synthesisRaisesNoWarningOrError() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant(), Synth.overridden(), Synth.jwt())) {
            s.annotations().hasNoWarning("*", Match.anyValue());
            s.annotations().hasNoError("*", Match.anyValue());
        }
    }

    @Test
    void theTemplatesHaveNoDependencyCycle() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant(), Synth.jwt())) {
            Map<String, Set<String>> edges = new HashMap<>();
            s.resources().forEach((id, r) -> {
                Set<String> to = new HashSet<>();
                references(r, s.resources().keySet(), to);
                Json.list(Json.map(r).get("DependsOn")).forEach(d -> to.add((String) d));
                to.remove(id);
                edges.put(id, to);
            });
            List<String> cycle = findCycle(edges);
            assertEquals(List.of(), cycle, "dependency cycle");
        }
    }

    private static void references(Object node, Set<String> ids, Set<String> into) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.get("Ref") instanceof String ref && ids.contains(ref)) {
                into.add(ref);
            }
            if (m.size() == 1 && m.get("Fn::GetAtt") instanceof List<?> att && ids.contains(att.getFirst())) {
                into.add((String) att.getFirst());
            }
            if (m.size() == 1 && m.get("Fn::Sub") instanceof String sub) {
                ids.stream()
                        .filter(id -> sub.contains("${" + id + "}") || sub.contains("${" + id + "."))
                        .forEach(into::add);
            }
            m.values().forEach(v -> references(v, ids, into));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> references(v, ids, into));
        }
    }

    /** Depth-first search; the first cycle found, or an empty list. */
    private static List<String> findCycle(Map<String, Set<String>> edges) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : edges.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            Deque<String> path = new ArrayDeque<>();
            List<String> cycle = visit(start, edges, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(
            String node, Map<String, Set<String>> edges, Map<String, Integer> state, Deque<String> path) {
        state.put(node, 1);
        path.addLast(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            Integer seen = state.get(next);
            if (seen != null && seen == 1) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(next);
                return cycle;
            }
            if (seen == null) {
                List<String> cycle = visit(next, edges, state, path);
                if (!cycle.isEmpty()) {
                    return cycle;
                }
            }
        }
        path.removeLast();
        state.put(node, 2);
        return List.of();
    }
}
