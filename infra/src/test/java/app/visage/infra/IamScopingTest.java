package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.visage.jobs.model.BucketLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * IAM scoped per function to the bucket prefixes and actions its code uses: no s3:*, no wildcard
 * S3 action, no S3 resource {@code *} or whole-bucket {@code /*}; ListBucket only on the bucket with
 * an s3:prefix condition.
 */
class IamScopingTest {
    static final Set<String> PREFIXES = Set.copyOf(BucketLayout.ALL);
    static final Set<String> OBJECT_ACTIONS = Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject");

    /** export → "action prefix" pairs; written out here independently of the stack's own table. */
    /** export → "action prefix" pairs; written out here independently of the stack's own table. */
    static final Map<String, Set<String>> EXPECTED = Map.of(
            "submit",
                    Set.of(
                            "s3:GetObject jobs/",
                            "s3:PutObject jobs/",
                            "s3:GetObject slots/",
                            "s3:PutObject slots/",
                            "s3:GetObject inputs/",
                            "s3:PutObject inputs/",
                            "s3:DeleteObject inputs/",
                            "s3:PutObject uploads/",
                            "s3:GetObject outputs/",
                            "s3:PutObject outputs/",
                            "s3:DeleteObject outputs/",
                            "s3:GetObject idempotency/",
                            "s3:PutObject idempotency/",
                            "s3:PutObject due/",
                            "s3:PutObject tenants/",
                            "s3:DeleteObject tenants/",
                            // per-tenant quotas: only create requests count, and a job's end frees its slot
                            "s3:GetObject quotas/",
                            "s3:PutObject quotas/"),
            "status",
                    Set.of(
                            "s3:GetObject jobs/",
                            "s3:PutObject jobs/",
                            "s3:GetObject slots/",
                            "s3:PutObject slots/",
                            "s3:GetObject outputs/",
                            "s3:PutObject outputs/",
                            "s3:DeleteObject outputs/",
                            "s3:PutObject due/"),
            "webhook",
                    Set.of(
                            "s3:GetObject jobs/",
                            "s3:PutObject jobs/",
                            "s3:GetObject slots/",
                            "s3:PutObject slots/",
                            "s3:PutObject outputs/",
                            "s3:DeleteObject outputs/",
                            "s3:PutObject due/"),
            "upload",
                    Set.of(
                            "s3:GetObject jobs/",
                            "s3:PutObject jobs/",
                            "s3:GetObject slots/",
                            "s3:PutObject slots/",
                            "s3:GetObject inputs/",
                            "s3:PutObject inputs/",
                            "s3:GetObject uploads/",
                            "s3:DeleteObject uploads/",
                            "s3:PutObject outputs/",
                            "s3:DeleteObject outputs/",
                            "s3:PutObject due/"),
            "worker",
                    Set.of(
                            "s3:GetObject jobs/",
                            "s3:PutObject jobs/",
                            "s3:GetObject slots/",
                            "s3:PutObject slots/",
                            "s3:GetObject inputs/",
                            "s3:DeleteObject inputs/",
                            "s3:DeleteObject uploads/",
                            "s3:GetObject outputs/",
                            "s3:PutObject outputs/",
                            "s3:DeleteObject outputs/",
                            "s3:PutObject due/"),
            // The due-work index and nothing else: it never reads a job.
            "cleanup", Set.of("s3:GetObject due/", "s3:PutObject due/", "s3:DeleteObject due/"));

    /** export → the prefixes a listing may name (every function lists, if only for 404s on missing keys). */
    static final Map<String, Set<String>> LIST_PREFIXES = Map.of(
            "submit", Set.of("jobs/*", "slots/*", "inputs/*", "outputs/*"),
            "status", Set.of("jobs/*", "slots/*", "outputs/*", "tenants/*"),
            "webhook", Set.of("jobs/*", "slots/*", "outputs/*"),
            "upload", Set.of("jobs/*", "slots/*", "inputs/*", "uploads/*"),
            "worker", Set.of("jobs/*", "slots/*", "inputs/*", "uploads/*", "outputs/*"),
            "cleanup", Set.of("due/*"));

    record Statement(String owner, Map<String, Object> json) {
        String effect() {
            return (String) json.get("Effect");
        }

        List<String> actions() {
            return Json.list(json.get("Action")).stream()
                    .map(String.class::cast)
                    .toList();
        }

        List<String> resources() {
            return Json.list(json.get("Resource")).stream().map(Json::render).toList();
        }
    }

    @Test
    void nothingAllowsS3WildcardsAndTheOnlyS3StarIsTheTlsDeny() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            List<Statement> starred = new ArrayList<>();
            for (Statement st : statements(s)) {
                for (String action : st.actions()) {
                    if (action.equals("*") || action.startsWith("s3:") && action.contains("*")) {
                        starred.add(st);
                    }
                }
            }
            assertEquals(
                    1,
                    starred.size(),
                    () -> starred.stream()
                            .map(st -> st.owner() + " " + st.effect() + " " + st.actions())
                            .distinct()
                            .toList()
                            .toString());
            Statement tlsDeny = starred.getFirst();
            assertEquals("Deny", tlsDeny.effect());
            assertEquals(List.of("s3:*"), tlsDeny.actions());
            assertEquals(
                    Map.of("Bool", Map.of("aws:SecureTransport", "false")),
                    tlsDeny.json().get("Condition"));
        }
    }

    @Test
    void everyS3GrantIsOnAPrefixOrIsABucketLevelActionOnTheBucket() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            String bucketArn = "${" + Synth.logicalIdOfType(s, "AWS::S3::Bucket") + ".Arn}";
            int checked = 0;
            for (Statement st : statements(s)) {
                if (!"Allow".equals(st.effect()) || st.actions().stream().noneMatch(a -> a.startsWith("s3:"))) {
                    continue;
                }
                checked++;
                assertFalse(st.resources().isEmpty(), st.toString());
                for (String resource : st.resources()) {
                    assertFalse(resource.equals("*") || resource.equals(bucketArn + "/*"), "too broad: " + st);
                    if (resource.equals(bucketArn)) {
                        if (st.actions().equals(List.of("s3:ListBucket"))) {
                            Object condition = Json.path(st.json(), "Condition", "StringLikeIfExists", "s3:prefix");
                            assertTrue(condition != null, "ListBucket without an s3:prefix condition: " + st);
                            Json.list(condition)
                                    .forEach(p -> assertTrue(
                                            PREFIXES.contains(((String) p).substring(0, ((String) p).length() - 1)),
                                            "list prefix " + p));
                        } else {
                            // The CDK's own handler that writes the bucket's notification configuration.
                            assertEquals(List.of("s3:PutBucketNotification"), st.actions(), st.toString());
                            assertTrue(st.owner().startsWith("BucketNotificationsHandler"), st.owner());
                        }
                        continue;
                    }
                    assertTrue(resource.startsWith(bucketArn + "/"), "not this bucket: " + st);
                    String rest = resource.substring(bucketArn.length() + 1);
                    assertTrue(
                            rest.endsWith("*") && PREFIXES.contains(rest.substring(0, rest.length() - 1)),
                            "not one of the prefixes: " + resource);
                    assertTrue(OBJECT_ACTIONS.containsAll(st.actions()), "object actions only on objects: " + st);
                }
            }
            assertTrue(checked >= FunctionsTest.EXPORTS.size() * 2, "the functions' S3 grants were found: " + checked);
        }
    }

    @Test
    void eachFunctionHasExactlyTheBucketAccessItsCodeUses() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            String bucketArn = "${" + Synth.logicalIdOfType(s, "AWS::S3::Bucket") + ".Arn}";
            for (String export : FunctionsTest.EXPORTS) {
                String role = roleOf(s, export);
                Set<String> pairs = new TreeSet<>();
                Set<String> listPrefixes = new TreeSet<>();
                int listStatements = 0;
                for (Statement st : statements(s)) {
                    if (!st.owner().equals(role) || st.actions().stream().noneMatch(a -> a.startsWith("s3:"))) {
                        continue;
                    }
                    assertEquals("Allow", st.effect());
                    for (String resource : st.resources()) {
                        if (resource.equals(bucketArn)) {
                            assertEquals(List.of("s3:ListBucket"), st.actions(), export);
                            listStatements++;
                            Json.list(Json.path(st.json(), "Condition", "StringLikeIfExists", "s3:prefix"))
                                    .forEach(p -> listPrefixes.add((String) p));
                            continue;
                        }
                        String prefix = resource.substring(bucketArn.length() + 1, resource.length() - 1);
                        st.actions().forEach(a -> pairs.add(a + " " + prefix));
                    }
                }
                assertEquals(new TreeSet<>(EXPECTED.get(export)), pairs, export);
                assertEquals(1, listStatements, export);
                assertEquals(new TreeSet<>(LIST_PREFIXES.get(export)), listPrefixes, export);
            }
        }
    }

    @Test
    void eachFunctionHasItsOwnRole() {
        Synth.Synthesized s = Synth.jvm();
        Set<String> roles = new TreeSet<>();
        FunctionsTest.EXPORTS.forEach(e -> roles.add(roleOf(s, e)));
        assertEquals(FunctionsTest.EXPORTS.size(), roles.size(), roles.toString());
    }

    @Test
    void everyFunctionMaySendToTheWorkQueueAndNothingElseMay() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            String queueArn = "${" + Synth.workQueueId(s) + ".Arn}";
            // Besides: upload and cleanup send to their failure queues (AsyncFailuresTest).
            Set<String> failureQueues = Set.of(
                    "${" + Synth.failureQueueId(s, "upload") + ".Arn}",
                    "${" + Synth.failureQueueId(s, "cleanup") + ".Arn}");
            List<Statement> sends = statements(s).stream()
                    .filter(st -> st.actions().contains("sqs:SendMessage"))
                    .filter(st -> st.resources().stream().noneMatch(failureQueues::contains))
                    .toList();
            Set<String> senders = new TreeSet<>();
            for (Statement st : sends) {
                assertEquals("Allow", st.effect());
                assertEquals(List.of("sqs:SendMessage"), st.actions(), st.owner());
                assertEquals(List.of(queueArn), st.resources(), st.owner());
                senders.add(st.owner());
            }
            Set<String> producers = new TreeSet<>();
            FunctionsTest.EXPORTS.forEach(e -> producers.add(roleOf(s, e)));
            assertEquals(producers, senders);
            assertEquals(producers.size(), sends.size(), "one SendMessage statement per function");
        }
    }

    @Test
    void onlyTheWorkerConsumesAndOnlyTheWorkQueue() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            List<Statement> consuming = statements(s).stream()
                    .filter(st -> "Allow".equals(st.effect()))
                    .filter(st -> st.actions().stream().anyMatch(a -> a.startsWith("sqs:") && !SENDING.contains(a)))
                    .toList();
            assertEquals(1, consuming.size(), consuming.toString());
            Statement consume = consuming.getFirst();
            assertEquals(roleOf(s, "worker"), consume.owner());
            assertEquals(List.of("${" + Synth.workQueueId(s) + ".Arn}"), consume.resources());
            assertTrue(
                    consume.actions()
                            .containsAll(
                                    List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility")),
                    consume.actions().toString());
            assertTrue(
                    consume.actions().stream().noneMatch(a -> a.contains("*")),
                    consume.actions().toString());
        }
    }

    @Test
    void nobodyMayUseTheDeadLetterQueueAndTheOnlySqsStarsAreTheTlsDenies() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            String deadLetters = Synth.deadLetterQueueId(s);
            List<Statement> starred = new ArrayList<>();
            for (Statement st : statements(s)) {
                if ("Allow".equals(st.effect())) {
                    assertTrue(
                            st.resources().stream().noneMatch(r -> r.contains("${" + deadLetters + ".")),
                            "the dead-letter queue is granted: " + st);
                }
                if (st.actions().stream().anyMatch(a -> a.equals("*") || a.startsWith("sqs:") && a.contains("*"))) {
                    starred.add(st);
                }
            }
            Set<String> denied = new TreeSet<>();
            for (Statement st : starred) {
                assertEquals("Deny", st.effect(), st.toString());
                assertEquals(List.of("sqs:*"), st.actions());
                assertEquals(
                        Map.of("Bool", Map.of("aws:SecureTransport", "false")),
                        st.json().get("Condition"));
                denied.addAll(st.resources());
            }
            assertEquals(
                    new TreeSet<>(List.of(
                            "${" + Synth.workQueueId(s) + ".Arn}",
                            "${" + deadLetters + ".Arn}",
                            "${" + Synth.failureQueueId(s, "upload") + ".Arn}",
                            "${" + Synth.failureQueueId(s, "cleanup") + ".Arn}")),
                    denied);
        }
    }

    /** What sending takes: the failure destinations' grant adds the two reads to SendMessage. */
    private static final Set<String> SENDING = Set.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");

    static String roleOf(Synth.Synthesized s, String export) {
        Object role = Json.path(Json.map(s.resources().get(Synth.functionId(s, export))), "Properties", "Role");
        return (String) Json.list(Json.map(role).get("Fn::GetAtt")).getFirst();
    }

    /** Every statement of every policy in the template, with the role (or resource) it belongs to. */
    static List<Statement> statements(Synth.Synthesized s) {
        List<Statement> all = new ArrayList<>();
        s.resources().forEach((id, r) -> {
            Map<String, Object> resource = Json.map(r);
            Map<String, Object> props =
                    resource.get("Properties") == null ? Map.of() : Json.map(resource.get("Properties"));
            switch ((String) resource.get("Type")) {
                case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" -> {
                    List<Object> roles = Json.list(props.get("Roles"));
                    if (roles.isEmpty()) {
                        add(all, id, props.get("PolicyDocument"));
                    }
                    for (Object roleRef : roles) {
                        add(all, (String) Json.map(roleRef).get("Ref"), props.get("PolicyDocument"));
                    }
                }
                case "AWS::IAM::Role" ->
                    Json.list(props.get("Policies"))
                            .forEach(p -> add(all, id, Json.map(p).get("PolicyDocument")));
                case "AWS::S3::BucketPolicy",
                        "AWS::SQS::QueuePolicy",
                        "AWS::SecretsManager::ResourcePolicy",
                        "AWS::SNS::TopicPolicy" -> add(all, id, props.get("PolicyDocument"));
                default -> {
                    if (props.containsKey("PolicyDocument")) {
                        fail("a policy this test does not read: " + id + " " + resource.get("Type"));
                    }
                }
            }
        });
        return all;
    }

    private static void add(List<Statement> all, String owner, Object document) {
        Json.list(Json.map(document).get("Statement")).forEach(st -> all.add(new Statement(owner, Json.map(st))));
    }
}
