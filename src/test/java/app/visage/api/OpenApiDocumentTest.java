package app.visage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.port.Provider;
import app.visage.local.LocalHttpServer;
import app.visage.support.KeyedApi;
import app.visage.support.LocalApi;
import app.visage.support.OpenApiContract;
import app.visage.support.OpenApiFilter;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.json against the code it describes: its routes, error codes, enums and provider params, its
 * examples against its own schemas, the check that fails a test on an undescribed answer, and local mode serving
 * it. With API keys configured, to show the document needs none.
 */
@QuarkusTest
@TestProfile(KeyedApi.Profile.class)
class OpenApiDocumentTest {
    private static final OpenApiContract CONTRACT = OpenApiContract.get();
    private static final JsonNode DOC = CONTRACT.document();
    private static final String JOB_ID = "job_abcdefghijklmnopqrstuvwxyz";

    @Inject
    LocalHttpServer server;

    @Inject
    @Any
    Instance<Provider> providers;

    @Test
    void isOneOpenApi31JsonDocumentWhoseReferencesResolve() throws IOException {
        JsonNode strict = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(CONTRACT.text());
        assertThat(strict.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(strict.path("info").path("title").asText()).isNotBlank();
        assertThat(strict.path("info").path("version").asText()).isNotBlank();
        List<String> refs = new ArrayList<>();
        walk(strict, "", (pointer, node) -> {
            if (node.has("$ref")) {
                refs.add(node.get("$ref").asText());
            }
        });
        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            assertThat(ref).startsWith("#/");
            assertThat(strict.at(ref.substring(1)).isMissingNode())
                    .as("%s resolves", ref)
                    .isFalse();
        });
        List<String> operationIds = new ArrayList<>();
        operations().forEach((key, operation) -> {
            assertThat(operation.path("responses").size())
                    .as("%s has answers", key)
                    .isPositive();
            operationIds.add(operation.path("operationId").asText());
        });
        assertThat(operationIds).doesNotContain("").doesNotHaveDuplicates();
    }

    @Test
    void describesEveryRouteAndNothingElse() {
        Set<String> routes =
                Arrays.stream(Route.values()).map(Route::routeKey).collect(Collectors.toCollection(TreeSet::new));
        assertThat(operations().keySet()).isEqualTo(routes);
        for (Route route : Route.values()) {
            JsonNode operation = operations().get(route.routeKey());
            // Only the providers' callback is internal: apps never call it, and it carries no API key.
            assertThat(operation.path("x-internal").asBoolean(false))
                    .as("%s is internal", route)
                    .isEqualTo(route == Route.PROVIDER_WEBHOOK);
        }
        assertThat(DOC.path("webhooks").properties().stream().map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("job.started", "job.output", "job.succeeded", "job.failed", "job.canceled");
    }

    @Test
    void errorCodesAreTheErrorCodeEnum() {
        assertThat(strings(DOC.at("/components/schemas/ErrorCode/enum")))
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
        // Every code an answer can carry has a documented status wherever it can be answered: the error bodies
        // share one schema, whose code is that enum.
        assertThat(DOC.at("/components/schemas/ErrorBody/properties/error/properties/code/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/ErrorCode");
    }

    @Test
    void enumsAreTheCodes() {
        assertThat(strings(DOC.at("/components/schemas/Operation/enum")))
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(Operation.values()).map(Operation::wire).toList());
        assertThat(strings(DOC.at("/components/schemas/JobStatus/enum")))
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(JobStatus.values()).map(JobStatus::wire).toList());
        assertThat(strings(DOC.at("/components/schemas/ProviderId/enum")))
                .containsExactlyInAnyOrderElementsOf(
                        providers.stream().map(Provider::id).toList());
    }

    @Test
    void describesEveryParamWithItsTypeAndLimitsAndWhichProviderTakesIt() {
        JsonNode properties = DOC.at("/components/schemas/Params/properties");
        assertThat(properties.properties().stream().map(Map.Entry::getKey))
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(Param.values()).map(Param::wire).toList());
        for (Param param : Param.values()) {
            JsonNode schema = properties.path(param.wire());
            switch (param.kind()) {
                case STRING -> {
                    assertThat(schema.path("type").asText()).isEqualTo("string");
                    assertThat(schema.path("maxLength").asDouble()).isEqualTo(param.max());
                }
                case INTEGER, NUMBER -> {
                    assertThat(schema.path("type").asText())
                            .isEqualTo(param.kind() == Param.Kind.INTEGER ? "integer" : "number");
                    assertThat(schema.path("minimum").asDouble())
                            .as(param.wire())
                            .isEqualTo(param.min());
                    assertThat(schema.path("maximum").asDouble())
                            .as(param.wire())
                            .isEqualTo(param.max());
                }
                case BOOLEAN -> assertThat(schema.path("type").asText()).isEqualTo("boolean");
                case CHOICE -> {
                    assertThat(schema.path("type").asText()).isEqualTo("string");
                    assertThat(strings(schema.path("enum"))).containsExactlyElementsOf(param.choices());
                }
                case CHOICE_INTEGER -> {
                    assertThat(schema.path("type").asText()).isEqualTo("integer");
                    assertThat(strings(schema.path("enum"))).containsExactlyElementsOf(param.choices());
                }
            }
        }
        Map<String, Map<String, List<String>>> declared = new TreeMap<>();
        for (Provider provider : providers) {
            Map<String, List<String>> byOperation = new TreeMap<>();
            provider.operations()
                    .forEach((operation, params) -> byOperation.put(
                            operation.wire(),
                            params.stream().map(Param::wire).sorted().toList()));
            declared.put(provider.id(), byOperation);
        }
        Map<String, Map<String, List<String>>> documented = new TreeMap<>();
        DOC.at("/components/x-visage-provider-params").properties().forEach(provider -> {
            Map<String, List<String>> byOperation = new TreeMap<>();
            provider.getValue()
                    .properties()
                    .forEach(op -> byOperation.put(
                            op.getKey(),
                            strings(op.getValue()).stream().sorted().toList()));
            documented.put(provider.getKey(), byOperation);
        });
        assertThat(documented).isEqualTo(declared);
    }

    @Test
    void examplesAreValidAgainstTheirSchemas() {
        Map<String, List<String>> problems = new TreeMap<>();
        List<String> checked = new ArrayList<>();
        walk(DOC, "", (pointer, node) -> {
            boolean mediaType = pointer.matches(".*/content/[^/]+");
            if (mediaType && node.has("example")) {
                checked.add(pointer);
                problems.put(
                        pointer,
                        CONTRACT.validate(
                                pointer + "/schema", node.get("example").toString()));
            }
            if (!mediaType && node.path("examples").isArray()) {
                for (JsonNode example : node.get("examples")) {
                    checked.add(pointer);
                    problems.merge(pointer, CONTRACT.validate(pointer, example.toString()), (a, b) -> {
                        List<String> all = new ArrayList<>(a);
                        all.addAll(b);
                        return all;
                    });
                }
            }
        });
        assertThat(checked).hasSizeGreaterThanOrEqualTo(3);
        assertThat(problems)
                .allSatisfy((pointer, found) -> assertThat(found).as(pointer).isEmpty());
    }

    @Test
    void theCheckFindsAnswersTheDocumentDoesNotDescribe() {
        String job = DOC.at("/components/schemas/Job/examples/0").toString();
        Function<String, String> headers = name -> name.equalsIgnoreCase("cache-control") ? "no-store" : null;
        String path = "/v1/jobs/" + JOB_ID;
        assertThat(CONTRACT.problems("GET", path, 200, "application/json", headers, job))
                .as("the example job is a right answer")
                .isEmpty();
        assertThat(CONTRACT.problems(
                        "GET", path, 200, "application/json", headers, job.replace("\"succeeded\"", "\"done\"")))
                .singleElement()
                .asString()
                .contains("/status");
        assertThat(CONTRACT.problems("GET", path, 200, "application/json", headers, "{\"id\":\"" + JOB_ID + "\"}"))
                .anySatisfy(p -> assertThat(p).contains("required").contains("status"));
        assertThat(CONTRACT.problems("GET", path, 200, "application/json", name -> "public", job))
                .singleElement()
                .asString()
                .contains("header Cache-Control");
        assertThat(CONTRACT.problems("GET", path, 418, "application/json", headers, job))
                .singleElement()
                .asString()
                .contains("418, which is not documented");
        assertThat(CONTRACT.problems("GET", path, 200, "text/html", headers, "<p>job</p>"))
                .singleElement()
                .asString()
                .contains("content type");
        assertThat(CONTRACT.problems("GET", "/v2/nothing", 404, "application/json", headers, "{\"message\":\"x\"}"))
                .isNotEmpty();
    }

    @Test
    void theCheckFindsWebhookDeliveriesTheDocumentDoesNotDescribe() {
        String event =
                DOC.at("/components/schemas/WebhookEvent_succeeded/examples/0").toString();
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of("msg_" + JOB_ID),
                "webhook-timestamp", List.of("1764800000"),
                "webhook-signature", List.of("v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,bm9wZQ=="));
        assertThat(CONTRACT.webhookProblems(headers, event)).isEmpty();
        assertThat(CONTRACT.webhookProblems(Map.of(), event.replace("\"succeeded\"", "\"done\"")))
                .anySatisfy(p -> assertThat(p).contains("/data/status"))
                .anySatisfy(p -> assertThat(p).contains("webhook-signature is required"));
        assertThat(CONTRACT.webhookProblems(headers, event.replace("job.succeeded", "job.done")))
                .singleElement()
                .asString()
                .contains("job.done");
    }

    @Test
    void theFilterFailsATestWhoseAnswerIsNotDescribed() throws IOException {
        HttpServer wrong = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        wrong.createContext("/", exchange -> {
            byte[] body = ("{\"id\":\"" + JOB_ID + "\",\"status\":\"done\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        wrong.start();
        try {
            assertThatThrownBy(() -> RestAssured.given()
                            .baseUri("http://127.0.0.1")
                            .port(wrong.getAddress().getPort())
                            .filter(new OpenApiFilter())
                            .get("/v1/jobs/" + JOB_ID))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("GET /v1/jobs/" + JOB_ID + ": 200")
                    .hasMessageContaining("/status");
        } finally {
            wrong.stop(0);
        }
    }

    @Test
    void localModeServesTheFileWithoutAKey() throws IOException {
        Response response = LocalApi.given(server).get("/v1/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        byte[] file = Files.readAllBytes(Path.of("docs", "openapi.json"));
        // The build copies the file to the class path: after an edit, build again.
        assertThat(Arrays.equals(response.asByteArray(), file))
                .as("local mode serves docs/openapi.json as it is")
                .isTrue();
        assertThat(Arrays.equals(CONTRACT.text().getBytes(StandardCharsets.UTF_8), file))
                .as("the tests check against docs/openapi.json as it is")
                .isTrue();
        // The API itself still wants a key here: the document is the only thing served without one.
        LocalApi.given(server).get("/v1/jobs/" + JOB_ID).then().statusCode(401);
    }

    /** Every operation of the document by its API Gateway route key ({@code GET /v1/jobs/{id}}). */
    private static Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        DOC.path("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(method -> operations.put(
                                method.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(),
                                method.getValue())));
        return operations;
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    private interface Visitor {
        void visit(String pointer, JsonNode node);
    }

    /** Every object in {@code node}, with its JSON pointer. */
    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(pointer, node);
            node.properties()
                    .forEach(e -> walk(e.getValue(), pointer + "/" + OpenApiContract.escape(e.getKey()), visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }
}
