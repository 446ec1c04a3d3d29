package app.visage.api;

import static app.visage.support.LocalApi.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.local.LocalHttpServer;
import app.visage.support.Bucket;
import app.visage.support.KeyedApi;
import app.visage.support.TestPhotos;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checked-in corpus of bad requests ({@code src/test/resources/bad-inputs/}, format in its README) sent
 * through local mode's HTTP server: each is refused synchronously with its status, error code and field, and
 * leaves nothing in the bucket.
 */
@QuarkusTest
@TestProfile(BadInputCorpusTest.Keyed.class)
class BadInputCorpusTest {
    /** A corpus smaller than this is refused: cases must not quietly disappear. */
    static final int MIN_CASES = 40;
    /** Sent as {@code Authorization: Bearer …} for {@code "auth": "valid"}: the one key configured. */
    static final String TEST_API_KEY = "vsk_test_0123456789abcdefghijklmnopqrstuv";

    static final String WRONG_API_KEY = "vsk_test_not_a_key_this_service_issued_00";
    private static final List<String> PREFIXES = List.of("jobs/", "inputs/", "uploads/", "outputs/", "idempotency/");
    private static final ObjectMapper CASES =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(photo-base64|zeros-base64):([^}]+)}}");

    /** One tenant's key configured (its hash), and no webhook secret: a request with a webhook is refused. */
    public static class Keyed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("visage.auth.api-keys", "corpus=" + KeyedApi.sha256Hex(TEST_API_KEY));
        }
    }

    @Inject
    LocalHttpServer server;

    @Inject
    Bucket bucket;

    /** One case file. {@code body} is a body spec (see the README); {@code expect} what the API must answer. */
    record Case(
            String name,
            String method,
            String path,
            Map<String, String> headers,
            JsonNode body,
            String auth,
            String idempotencyKey,
            Expect expect) {}

    /** {@code field} absent means the error must not name one. */
    record Expect(int status, String code, String field) {}

    static Stream<Arguments> corpus() throws IOException, URISyntaxException {
        return load(Path.of(BadInputCorpusTest.class.getResource("/bad-inputs").toURI())).stream()
                .map(c -> Arguments.of(Named.of(c.name(), c)));
    }

    /** Every case in {@code dir}; a corpus that is too small or names two cases alike is refused. */
    static List<Case> load(Path dir) throws IOException {
        List<Case> cases;
        try (Stream<Path> files = Files.list(dir)) {
            cases = files.filter(f -> f.toString().endsWith(".json"))
                    .sorted()
                    .map(BadInputCorpusTest::read)
                    .toList();
        }
        if (cases.size() < MIN_CASES) {
            throw new IllegalStateException(
                    "the bad-input corpus has " + cases.size() + " cases; at least " + MIN_CASES + " are expected");
        }
        Set<String> names = new HashSet<>();
        for (Case c : cases) {
            if (!names.add(c.name())) {
                throw new IllegalStateException("two bad-input cases are named " + c.name());
            }
        }
        return cases;
    }

    private static Case read(Path file) {
        try {
            Case c = CASES.readValue(file.toFile(), Case.class);
            if (c.name() == null
                    || c.method() == null
                    || c.path() == null
                    || c.expect() == null
                    || c.expect().code() == null) {
                throw new IllegalStateException(file.getFileName() + ": name, method, path and expect are required");
            }
            if (c.auth() != null && !Set.of("valid", "none", "wrong").contains(c.auth())) {
                throw new IllegalStateException(file.getFileName() + ": auth is valid, none or wrong");
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(file.getFileName() + " is not a bad-input case", e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithItsCodeAndLeavesNothingBehind(Case c) throws Exception {
        Set<String> before = Set.copyOf(stored());
        HttpResponse<String> response = send(c);
        assertThat(response.statusCode())
                .as("status of %s: %s", c.name(), response.body())
                .isEqualTo(c.expect().status());
        JsonNode error = CASES.readTree(response.body()).path("error");
        assertThat(error.path("code").asText())
                .as("error.code")
                .isEqualTo(c.expect().code());
        assertThat(error.path("message").asText()).as("error.message").isNotBlank();
        if (c.expect().field() == null) {
            assertThat(error.has("field"))
                    .as("error.field %s", error.path("field"))
                    .isFalse();
        } else {
            assertThat(error.path("field").asText())
                    .as("error.field")
                    .isEqualTo(c.expect().field());
        }
        assertThat(stored()).as("objects a refused request left").allMatch(before::contains);
    }

    @Test
    void aCorpusOfFewerThanFortyCasesIsRefused(@TempDir Path dir) throws IOException {
        Files.copy(Path.of("src/test/resources/bad-inputs/route-unknown.json"), dir.resolve("route-unknown.json"));
        assertThatThrownBy(() -> load(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least 40");
    }

    /** A truncated JPEG has a whole header, so it is accepted; the engine finds the pixels cut short. */
    @Test
    void aTruncatedJpegIsAcceptedAndTheJobEndsImageUnreadable() throws Exception {
        String body = "{\"operation\":\"head_shot\",\"face_image\":\""
                + TestPhotos.dataUri("truncated.jpg", "image/jpeg") + "\"}";
        HttpResponse<String> response = HTTP.send(
                request(
                        "POST",
                        "/v1/jobs",
                        Map.of("Content-Type", "application/json"),
                        body.getBytes(StandardCharsets.UTF_8),
                        "valid",
                        null),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = CASES.readTree(response.body()).path("id").asText();
        var job = awaitEnd(server, id, TEST_API_KEY);
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("image_unreadable");
        assertThat(bucket.keys("outputs/" + id + "/")).isEmpty();
    }

    private List<String> stored() {
        return PREFIXES.stream().flatMap(prefix -> bucket.keys(prefix).stream()).toList();
    }

    private HttpResponse<String> send(Case c) throws IOException, InterruptedException {
        return HTTP.send(
                request(
                        c.method(),
                        c.path(),
                        c.headers() == null ? Map.of() : c.headers(),
                        body(c.body()),
                        c.auth() == null ? "valid" : c.auth(),
                        c.idempotencyKey()),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(
            String method, String path, Map<String, String> headers, byte[] body, String auth, String idempotencyKey)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.start("127.0.0.1", 0) + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        switch (auth) {
            case "valid" -> request.header("Authorization", "Bearer " + TEST_API_KEY);
            case "wrong" -> request.header("Authorization", "Bearer " + WRONG_API_KEY);
            default -> {}
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    /** The bytes of a body spec: exactly one of text, base64, json, photo, blob, multipart (none: no body). */
    static byte[] body(JsonNode spec) {
        if (spec == null || spec.isNull()) {
            return new byte[0];
        }
        if (!spec.isObject()
                || spec.size() != 1 && !(spec.has("photo") && spec.size() == 2 && spec.has("first_bytes"))) {
            throw new IllegalStateException("a body is one of text, base64, json, photo, blob, multipart: " + spec);
        }
        if (spec.has("text")) {
            return expand(spec.get("text").asText()).getBytes(StandardCharsets.UTF_8);
        }
        if (spec.has("base64")) {
            return Base64.getDecoder().decode(spec.get("base64").asText());
        }
        if (spec.has("json")) {
            try {
                return CASES.writeValueAsBytes(expand(spec.get("json").deepCopy()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (spec.has("photo")) {
            byte[] photo = TestPhotos.bytes(spec.get("photo").asText());
            return spec.has("first_bytes")
                    ? Arrays.copyOf(photo, spec.get("first_bytes").asInt())
                    : photo;
        }
        if (spec.has("blob")) {
            JsonNode blob = spec.get("blob");
            byte[] start =
                    blob.has("photo") ? TestPhotos.bytes(blob.get("photo").asText()) : new byte[0];
            return Arrays.copyOf(start, Math.max(start.length, blob.path("size").asInt()));
        }
        if (spec.has("multipart")) {
            return multipart(spec.get("multipart"));
        }
        throw new IllegalStateException("unknown body kind: " + spec);
    }

    /** Parts framed with {@code boundary}; {@code unterminated} leaves out the closing delimiter. */
    private static byte[] multipart(JsonNode spec) {
        String boundary = spec.path("boundary").asText();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode part : spec.path("parts")) {
            StringBuilder head = new StringBuilder("--")
                    .append(boundary)
                    .append("\r\n")
                    .append("Content-Disposition: form-data; name=\"")
                    .append(part.path("name").asText())
                    .append('"');
            if (part.has("filename")) {
                head.append("; filename=\"")
                        .append(part.get("filename").asText())
                        .append('"');
            }
            head.append("\r\n");
            if (part.has("content_type")) {
                head.append("Content-Type: ")
                        .append(part.get("content_type").asText())
                        .append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body(part.get("body")));
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (!spec.path("unterminated").asBoolean()) {
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static JsonNode expand(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(expand(node.asText()));
        }
        if (node.isObject()) {
            ((ObjectNode) node).properties().forEach(e -> e.setValue(expand(e.getValue())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, expand(node.get(i)));
            }
        }
        return node;
    }

    /** {@code {{photo-base64:NAME}}}: a test photo in base64; {@code {{zeros-base64:N}}}: N zero bytes in base64. */
    private static String expand(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            byte[] bytes = m.group(1).equals("photo-base64")
                    ? TestPhotos.bytes(m.group(2))
                    : new byte[Integer.parseInt(m.group(2))];
            m.appendReplacement(
                    out, Matcher.quoteReplacement(Base64.getEncoder().encodeToString(bytes)));
        }
        return m.appendTail(out).toString();
    }
}
