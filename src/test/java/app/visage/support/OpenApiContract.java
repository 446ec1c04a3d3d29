package app.visage.support;

import app.visage.api.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * docs/openapi.json (as the build puts it on the class path) and the check of one HTTP answer against it: the
 * operation found by method and {@link Route} template, the status documented, the content type documented, the
 * body valid against that answer's schema (JSON Schema 2020-12 with the OpenAPI 3.1 vocabulary, {@code $ref}s
 * resolved within the document) and the documented headers' values valid against theirs.
 */
public final class OpenApiContract {
    public static final String RESOURCE = "app/visage/local/openapi.json";
    /** The name the document's schemas are known by; nothing is ever fetched from it. */
    private static final String IRI = "https://visage.invalid/openapi.json";

    private static final OpenApiContract INSTANCE = new OpenApiContract(read());

    private final String text;
    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(String text) {
        this.text = text;
        try {
            this.document = new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.registry = SchemaRegistry.withDialect(
                Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(IRI, text))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build()));
    }

    public static OpenApiContract get() {
        return INSTANCE;
    }

    /** The document's text, as in the file. */
    public String text() {
        return text;
    }

    public JsonNode document() {
        return document;
    }

    /** What is wrong with {@code json} against the schema at {@code pointer} (a JSON pointer into the document). */
    public List<String> validate(String pointer, String json) {
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(IRI + "#" + p)));
        return schema.validate(json, InputFormat.JSON).stream()
                .map(error -> error.toString())
                .toList();
    }

    /**
     * What is wrong with one answer: empty when the document describes it. {@code header} looks a response header
     * up by name (any case), null when absent.
     */
    public List<String> problems(
            String method,
            String rawPath,
            int status,
            String contentType,
            Function<String, String> header,
            String body) {
        Optional<Route.Match> match = Route.match(method, rawPath);
        if (match.isEmpty()) {
            // Not an API route: local mode's own files, or an unknown path, which must be the 404 error body.
            return status >= 400 && isJson(contentType) ? validate("/components/schemas/ErrorBody", body) : List.of();
        }
        Route route = match.get().route();
        String operationPointer = "/paths/" + escape(route.path()) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode operation = document.at(operationPointer);
        if (operation.isMissingNode()) {
            return List.of(route.routeKey() + " is not described in the document");
        }
        String code = Integer.toString(status);
        String responsePointer = null;
        for (String key : List.of(code, code.charAt(0) + "XX", "default")) {
            if (operation.path("responses").has(key)) {
                responsePointer = operationPointer + "/responses/" + key;
                break;
            }
        }
        if (responsePointer == null) {
            List<String> documented = new ArrayList<>();
            operation.path("responses").fieldNames().forEachRemaining(documented::add);
            return List.of(route.routeKey() + " answered " + status + ", which is not documented (documented: "
                    + String.join(", ", documented) + ")");
        }
        responsePointer = resolve(responsePointer);
        JsonNode response = document.at(responsePointer);
        List<String> problems = new ArrayList<>(headerProblems(responsePointer, response, header));
        JsonNode content = response.path("content");
        String mediaType = mediaType(contentType);
        if (content.isMissingNode() || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                problems.add("a body, where the document says there is none");
            }
        } else if (!content.has(mediaType)) {
            List<String> documented = new ArrayList<>();
            content.fieldNames().forEachRemaining(documented::add);
            problems.add("content type \"" + contentType + "\", documented: " + String.join(", ", documented));
        } else if (isJson(mediaType)) {
            String schemaPointer = responsePointer + "/content/" + escape(mediaType) + "/schema";
            validate(schemaPointer, body).forEach(p -> problems.add("body " + p + " (schema #" + schemaPointer + ")"));
        }
        return problems;
    }

    /**
     * What is wrong with one client webhook delivery (headers by lower-case name, the body as sent): its
     * {@code type} must be one of the document's {@code webhooks}, the body valid against that event's schema and
     * the Standard Webhooks headers present and valid.
     */
    public List<String> webhookProblems(Map<String, List<String>> headers, String body) {
        String type;
        try {
            type = new ObjectMapper().readTree(body).path("type").asText();
        } catch (IOException e) {
            return List.of("the webhook body is not JSON");
        }
        String operation = "/webhooks/" + escape(type) + "/post";
        if (document.at(operation).isMissingNode()) {
            return List.of("webhook event \"" + type + "\" is not described in the document");
        }
        String schema = operation + "/requestBody/content/application~1json/schema";
        List<String> problems = new ArrayList<>();
        validate(schema, body).forEach(p -> problems.add("body " + p + " (schema #" + schema + ")"));
        JsonNode parameters = document.at(operation + "/parameters");
        for (int i = 0; i < parameters.size(); i++) {
            String pointer = resolve(operation + "/parameters/" + i);
            JsonNode parameter = document.at(pointer);
            String name = parameter.path("name").asText();
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            if (values == null || values.isEmpty()) {
                if (parameter.path("required").asBoolean(false)) {
                    problems.add("header " + name + " is required and missing");
                }
                continue;
            }
            validate(pointer + "/schema", TextNode.valueOf(values.get(0)).toString())
                    .forEach(p -> problems.add("header " + name + ": " + p));
        }
        return problems;
    }

    private List<String> headerProblems(String responsePointer, JsonNode response, Function<String, String> header) {
        List<String> problems = new ArrayList<>();
        response.path("headers").fieldNames().forEachRemaining(name -> {
            String pointer = resolve(responsePointer + "/headers/" + escape(name));
            String value = header.apply(name);
            if (value == null) {
                if (document.at(pointer).path("required").asBoolean(false)) {
                    problems.add("header " + name + " is required and missing");
                }
                return;
            }
            validate(pointer + "/schema", TextNode.valueOf(value).toString())
                    .forEach(p -> problems.add("header " + name + ": " + value + ": " + p));
        });
        return problems;
    }

    /** The pointer of the object at {@code pointer}, following its {@code $ref} within the document. */
    private String resolve(String pointer) {
        for (int i = 0; i < 8; i++) {
            JsonNode ref = document.at(pointer).get("$ref");
            if (ref == null) {
                return pointer;
            }
            pointer = ref.asText().substring(1);
        }
        throw new IllegalStateException("a $ref cycle at " + pointer);
    }

    /** A JSON pointer segment: {@code /v1/jobs/{id}} as {@code ~1v1~1jobs~1{id}}. */
    public static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(String contentType) {
        String type = mediaType(contentType);
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static String read() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        RESOURCE + " is not on the class path: the build copies docs/openapi.json");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
