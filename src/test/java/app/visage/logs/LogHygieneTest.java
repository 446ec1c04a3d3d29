package app.visage.logs;

import static app.visage.support.Await.await;
import static app.visage.support.LocalApi.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.EmulatorServer.Recorded;
import app.visage.emulators.fashn.FashnEmulator;
import app.visage.emulators.metahuman.MetaHumanEmulator;
import app.visage.local.LocalHttpServer;
import app.visage.support.DueWork;
import app.visage.support.KeyedApi;
import app.visage.support.LocalApi;
import app.visage.support.ProviderEmulators;
import app.visage.support.TestClock;
import app.visage.support.TestPhotos;
import app.visage.support.UploadForms;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Everything Visage logs during a full run through its public API (app.visage at DEBUG, everything else
 * as deployed), written by the same filter and format as the console to a file, then searched for every
 * secret the run handled: provider keys, the client API key, the webhook secret, provider webhook tokens,
 * presigned URLs, data URIs, the photos' bytes and base64. The run covers the local engine (data URI,
 * multipart, presigned upload), each paid provider against its emulator, signed client webhooks,
 * provider failures, a bad photo, cancel, a refused provider webhook, status polls and every job's expiry.
 */
@QuarkusTest
@TestProfile(LogHygieneTest.Profile.class)
class LogHygieneTest {
    /** Sent as Authorization: Bearer on every API call (its hash is configured); never to be logged. */
    static final String API_KEY = "vsk_test_4f1c9a7e2b8d6035ac91";

    static final String MODELSLAB_KEY = "ml-key-6b1e0f9c2d7a48e3";
    static final String ENTERPRISE_KEY = "ml-enterprise-key-0c4d8e2f";
    static final String FACE_GEN_KEY = "ml-face-gen-key-93ab71c5";
    static final String FASHN_KEY = "fa_live_2e7d5c1b9a604f83";
    static final String METAHUMAN_TOKEN = "mh-token-58c2e0a7d91f";
    static final String WEBHOOK_SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("log-hygiene-signing-key!".getBytes(StandardCharsets.UTF_8));
    /** The client's own token in its webhook URL: the client's secret, not ours to log. */
    static final String CLIENT_HOOK_TOKEN = "client-hook-token-7d1e5b93";

    static final String WRONG_TOKEN = "guessed-token-AAAAbbbbCCCCdddd1234";
    private static final List<String> PHOTOS =
            List.of("astronaut.jpg", "grace_hopper.jpg", "chelsea.jpg", "truncated.jpg");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LocalHttpServer server;

    @Inject
    DueWork dueWork;

    @Inject
    TestClock clock;

    private final Set<String> presignedUrls = new LinkedHashSet<>();
    private final Set<String> uploadFormSecrets = new LinkedHashSet<>();
    private final List<byte[]> outputs = new ArrayList<>();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            // Keys long enough to be told apart from anything else in a log line.
            return List.of(
                    new TestResourceEntry(
                            ProviderEmulators.class,
                            Map.of(
                                    "modelslab",
                                    MODELSLAB_KEY,
                                    "modelslab-enterprise",
                                    ENTERPRISE_KEY,
                                    "modelslab-face-gen",
                                    FACE_GEN_KEY,
                                    "fashn",
                                    FASHN_KEY,
                                    "metahuman",
                                    METAHUMAN_TOKEN)),
                    new TestResourceEntry(LogFile.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "visage.webhooks.secret",
                    WEBHOOK_SECRET,
                    "visage.egress.allow-private",
                    "true",
                    "quarkus.log.category.\"app.visage\".level",
                    "DEBUG",
                    "visage.auth.api-keys",
                    "logs=" + KeyedApi.sha256Hex(API_KEY));
        }
    }

    /** A log file written by the same pipeline as the console: the filter, then the rendered line as it is. */
    public static class LogFile implements QuarkusTestResourceLifecycleManager {
        static Path path;

        @Override
        public Map<String, String> start() {
            try {
                Files.createDirectories(Path.of("target"));
                path = Files.createTempFile(Path.of("target"), "log-hygiene-", ".log")
                        .toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "quarkus.log.file.enabled",
                    "true",
                    "quarkus.log.file.path",
                    path.toString(),
                    "quarkus.log.file.format",
                    "%s%n",
                    "quarkus.log.file.filter",
                    "visage");
        }

        @Override
        public void stop() {}
    }

    private RequestSpecification api() {
        return LocalApi.given(server).header("Authorization", "Bearer " + API_KEY);
    }

    private String submit(Map<String, Object> body) {
        return LocalApi.submit(api(), body);
    }

    /** Polls the job to its end, keeping every presigned URL it hands out and the bytes behind the first. */
    private JsonPath end(String id) {
        JsonPath job = awaitEnd(server, id, API_KEY);
        List<String> urls = job.getList("outputs.url", String.class);
        if (urls != null) {
            for (int i = 0; i < urls.size(); i++) {
                if (urls.get(i).startsWith("http")) {
                    presignedUrls.add(urls.get(i));
                }
                outputs.add(LocalApi.outputBytes(job, i));
            }
        }
        return job;
    }

    @Test
    void aFullRunThroughThePublicApiLogsNoSecret() throws Exception {
        List<Map<String, List<String>>> hookHeaders = new CopyOnWriteArrayList<>();
        List<String> hookBodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            hookHeaders.add(headers);
            hookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(hookBodies.size() == 1 ? 200 : 503, -1);
            exchange.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks?token=" + CLIENT_HOOK_TOKEN;
        Map<String, String> ids = new LinkedHashMap<>();
        try {
            run(hook, ids);
        } finally {
            receiver.stop(0);
            clock.reset();
        }

        // The client webhooks were signed with the secret: one answered 200, one 503 (a warning line). The
        // library refuses timestamps far from now, so the retries sent after the clock moved are left out.
        assertThat(hookBodies).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 0; i < 2; i++) {
            new Webhook(WEBHOOK_SECRET).verify(hookBodies.get(i), hookHeaders.get(i));
        }

        List<String> lines = readLog();
        assertEveryLineIsAJsonObject(lines);
        assertNoSecretIn(lines, secretsOfTheRun());
        assertOnlyTheForeignLineNeededRedaction(lines);
        assertTheRunWasLogged(lines, ids);
    }

    private void run(String hook, Map<String, String> ids) throws Exception {
        // The local engine: a data URI (with a client webhook whose URL has its own token), multipart, an upload.
        String dataUri = submit(Map.of(
                "operation",
                "head_shot",
                "provider",
                "local",
                "face_image",
                TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                "params",
                Map.of("width", 256, "height", 256),
                "webhook",
                hook,
                "metadata",
                Map.of("user", "42")));
        ids.put("local data URI", dataUri);
        assertThat(end(dataUri).getString("status")).isEqualTo("succeeded");

        String multipart = api().multiPart(
                        "face_image", "grace.jpg", TestPhotos.bytes("grace_hopper.jpg"), "image/jpeg")
                .multiPart(
                        "request",
                        "{\"operation\":\"head_shot\",\"params\":{\"aspect_ratio\":\"4:5\"},\"webhook\":\"" + hook
                                + "\"}",
                        "application/json")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        ids.put("local multipart", multipart);
        assertThat(end(multipart).getString("status")).isEqualTo("succeeded");

        JsonPath ticket = api().contentType("application/json")
                .body(Map.of("operation", "head_shot", "content_type", "image/jpeg", "params", Map.of("width", 256)))
                .post("/v1/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        Map<String, String> form = ticket.getMap("upload_fields", String.class, String.class);
        uploadFormSecrets.add(form.get("policy"));
        uploadFormSecrets.add(form.get("x-amz-signature"));
        assertThat(UploadForms.post(ticket, TestPhotos.bytes("chelsea.jpg")).statusCode())
                .isEqualTo(204);
        ids.put("upload", ticket.getString("job_id"));
        assertThat(end(ticket.getString("job_id")).getString("status")).isIn("succeeded", "failed");

        // Paid providers against their emulators: keys in headers, bodies and forms, webhooks with ?token=.
        String photo = TestPhotos.dataUri("astronaut.jpg", "image/jpeg");
        String fashn = submit(Map.of(
                "operation",
                "face_to_model",
                "provider",
                "fashn",
                "face_image",
                photo,
                "params",
                Map.of("prompt", "standing", "aspect_ratio", "4:5")));
        ids.put("fashn", fashn);
        assertThat(end(fashn).getString("status")).isEqualTo("succeeded");
        String modelslab = submit(Map.of(
                "operation",
                "head_shot",
                "provider",
                "modelslab",
                "face_image",
                photo,
                "params",
                Map.of("prompt", "studio portrait", "width", 384, "height", 512, "num_inference_steps", 31)));
        ids.put("modelslab", modelslab);
        assertThat(end(modelslab).getString("status")).isEqualTo("succeeded");
        String metahuman = submit(
                Map.of("operation", "face_recon", "provider", "metahuman", "face_image", photo, "params", Map.of()));
        ids.put("metahuman", metahuman);
        assertThat(end(metahuman).getString("status")).isEqualTo("succeeded");

        // Failures: provider 5xx answers, a photo that is not whole, one that is no photo at all.
        ProviderEmulators.fashn().nextRun(FashnEmulator.Script.serverError());
        String fashn5xx = submit(Map.of(
                "operation",
                "face_to_model",
                "provider",
                "fashn",
                "face_image",
                photo,
                "params",
                Map.of("prompt", "standing")));
        end(fashn5xx);
        ProviderEmulators.metahuman().nextCall(MetaHumanEmulator.Script.serverError(502));
        end(submit(
                Map.of("operation", "face_recon", "provider", "metahuman", "face_image", photo, "params", Map.of())));
        ProviderEmulators.metahuman().nextCall(MetaHumanEmulator.Script.failWith(1));
        String refused = submit(
                Map.of("operation", "face_recon", "provider", "metahuman", "face_image", photo, "params", Map.of()));
        ids.put("refused by metahuman", refused);
        assertThat(end(refused).getString("status")).isEqualTo("failed");
        int truncated = api().contentType("application/json")
                .body(Map.of("operation", "head_shot", "face_image", TestPhotos.dataUri("truncated.jpg", "image/jpeg")))
                .post("/v1/jobs")
                .statusCode();
        assertThat(truncated).isIn(202, 400, 415, 422);
        api().contentType("application/json")
                .body(Map.of(
                        "operation",
                        "head_shot",
                        "face_image",
                        "data:image/jpeg;base64,"
                                + Base64.getEncoder().encodeToString("not a photo at all".getBytes())))
                .post("/v1/jobs")
                .then()
                .statusCode(415);

        // Cancel, and a provider webhook with a guessed token.
        String canceled = api().contentType("application/json")
                .body(Map.of("operation", "head_shot"))
                .post("/v1/uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("job_id");
        api().post("/v1/jobs/" + canceled + "/cancel").then().statusCode(200);
        ids.put("canceled", canceled);
        LocalApi.given(server)
                .contentType("application/json")
                .body("{\"id\":\"x\",\"status\":\"completed\"}")
                .post("/v1/provider-webhooks/fashn/" + fashn + "?token=" + WRONG_TOKEN)
                .then()
                .statusCode(404);

        // Status polls hand out fresh presigned URLs; then the expiry, past the TTL, deletes the jobs. Local mode's
        // own delivery may take the expiry's message before DueWork does: either runs the worker.
        for (String id : ids.values()) {
            end(id);
        }
        clock.advance(Duration.ofHours(25));
        dueWork.run();
        await(
                "the job's expiry",
                () -> "expired"
                        .equals(api().get("/v1/jobs/" + dataUri)
                                .then()
                                .statusCode(200)
                                .extract()
                                .<String>path("status")));

        // A library's line that quotes secrets: the filter's last line of defence must catch it.
        Logger.getLogger("io.vertx.core.http.impl.HttpClientRequestImpl")
                .errorf(
                        new IllegalStateException("Authorization: Bearer " + API_KEY + " body {\"key\":\""
                                + MODELSLAB_KEY + "\"} " + photo.substring(0, 200)),
                        "foreign-line: request to %s failed",
                        presignedUrls.iterator().next());
    }

    private static List<String> readLog() throws IOException {
        for (Handler handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.flush();
        }
        return Files.readAllLines(LogFile.path, StandardCharsets.UTF_8);
    }

    private static void assertEveryLineIsAJsonObject(List<String> lines) {
        assertThat(lines).as("the log file").hasSizeGreaterThan(20);
        for (String line : lines) {
            JsonNode json;
            try {
                json = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
            assertThat(json.isObject()).as(line).isTrue();
            if (json.has("_aws")) {
                continue; // a metric: the EMF object itself, outside the envelope (docs/deployment.md)
            }
            for (String field : List.of("timestamp", "level", "logger", "message")) {
                assertThat(json.hasNonNull(field)).as(field + " in " + line).isTrue();
            }
        }
    }

    private static List<JsonNode> parsed(List<String> lines) {
        return lines.stream()
                .map(line -> {
                    try {
                        return JSON.readTree(line);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toList();
    }

    private static void assertTheRunWasLogged(List<String> lines, Map<String, String> ids) {
        List<JsonNode> log = parsed(lines);
        for (Map.Entry<String, String> job : ids.entrySet()) {
            String id = job.getValue();
            assertThat(log)
                    .as("a created line with its jobId for the %s job", job.getKey())
                    .anySatisfy(l -> {
                        assertThat(l.path("message").asText()).startsWith("job " + id + " created: ");
                        assertThat(l.path("jobId").asText()).isEqualTo(id);
                        assertThat(l.path("level").asText()).isEqualTo("INFO");
                    });
        }
        assertThat(log)
                .anySatisfy(l ->
                        assertThat(l.path("message").asText()).isEqualTo("job " + ids.get("fashn") + " succeeded"));
        assertThat(log)
                .anySatisfy(l -> assertThat(l.path("message").asText())
                        .isEqualTo("job " + ids.get("refused by metahuman") + " failed (provider_error)"));
        assertThat(log).as("DEBUG for app.visage").anySatisfy(l -> {
            assertThat(l.path("level").asText()).isEqualTo("DEBUG");
            assertThat(l.path("message").asText()).isEqualTo("starting job " + ids.get("modelslab") + " at modelslab");
        });
        assertThat(log)
                .anySatisfy(l -> assertThat(l.path("message").asText())
                        .matches("job \\S+: client webhook \\S+ \\(job\\.\\w+\\) answered 200"));
        assertThat(log).anySatisfy(l -> {
            assertThat(l.path("level").asText()).isEqualTo("WARN");
            assertThat(l.path("message").asText()).contains("client webhook").contains("not delivered (HTTP 503)");
        });
        assertThat(log)
                .anySatisfy(l -> assertThat(l.path("message").asText())
                        .isEqualTo("refused a webhook for provider fashn: unknown job, other provider or wrong token"));
        assertThat(log)
                .anySatisfy(l ->
                        assertThat(l.path("message").asText()).matches("job \\S+ expired: its objects are deleted"));
        assertThat(log).as("the foreign line, with its exception").anySatisfy(l -> {
            assertThat(l.path("message").asText()).startsWith("foreign-line: ");
            assertThat(l.path("level").asText()).isEqualTo("ERROR");
            assertThat(l.at("/exception/type").asText()).isEqualTo("java.lang.IllegalStateException");
        });
    }

    /** Every value the run handled that must never be in a log line. */
    private Map<String, String> secretsOfTheRun() {
        Map<String, String> secrets = new LinkedHashMap<>();
        assertThat(ProviderEmulators.fashn().runCalls())
                .as("the provider keys searched for are the ones in use")
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.header("Authorization")).isEqualTo("Bearer " + FASHN_KEY));
        secrets.put("the client API key", API_KEY);
        for (String key : List.of(MODELSLAB_KEY, ENTERPRISE_KEY, FACE_GEN_KEY, FASHN_KEY, METAHUMAN_TOKEN)) {
            secrets.put("provider key " + key, key);
        }
        secrets.put("the webhook secret", WEBHOOK_SECRET);
        secrets.put("the webhook secret's body", WEBHOOK_SECRET.substring("whsec_".length()));
        secrets.put("the client's webhook token", CLIENT_HOOK_TOKEN);
        secrets.put("a guessed provider webhook token", WRONG_TOKEN);
        Set<String> tokens = new LinkedHashSet<>();
        Pattern token = Pattern.compile("token=([A-Za-z0-9_-]{16,})");
        List<Recorded> calls = new ArrayList<>(ProviderEmulators.fashn().runCalls());
        calls.addAll(ProviderEmulators.modelslab().generationCalls());
        for (Recorded call : calls) {
            String seen = URLDecoder.decode(call.query() == null ? "" : call.query(), StandardCharsets.UTF_8) + " "
                    + call.text();
            for (Matcher m = token.matcher(seen); m.find(); ) {
                tokens.add(m.group(1));
            }
            JsonNode body = call.json();
            if (body.has("face_image") && body.get("face_image").asText().startsWith("http")) {
                presignedUrls.add(body.get("face_image").asText());
            }
        }
        assertThat(tokens).as("provider webhook tokens seen by the emulators").hasSizeGreaterThanOrEqualTo(2);
        tokens.forEach(t -> secrets.put("provider webhook token " + t, t));
        assertThat(presignedUrls).as("presigned URLs handed out").hasSizeGreaterThanOrEqualTo(3);
        for (String url : presignedUrls) {
            secrets.put("presigned URL " + url, url);
            secrets.put("presigned query of " + url, url.substring(url.indexOf('?') + 1));
        }
        assertThat(uploadFormSecrets)
                .as("an upload form's policy and signature")
                .hasSize(2);
        uploadFormSecrets.forEach(v -> secrets.put("upload form value " + v, v));
        for (String shape : List.of(
                "X-Amz-Signature",
                "X-Amz-Credential",
                "x-amz-signature",
                "x-amz-security-token",
                "data:image",
                ";base64,",
                "/9j/",
                "iVBORw0KGgo",
                "whsec_")) {
            secrets.put(shape, shape);
        }
        List<byte[]> images = new ArrayList<>(outputs);
        PHOTOS.forEach(p -> images.add(TestPhotos.bytes(p)));
        assertThat(outputs).as("outputs fetched").hasSizeGreaterThanOrEqualTo(4);
        for (byte[] image : images) {
            String base64 = Base64.getEncoder().encodeToString(image);
            for (int offset : new int[] {60, base64.length() / 3, base64.length() / 2, base64.length() - 100}) {
                String window = base64.substring(offset, Math.min(base64.length(), offset + 40));
                secrets.put("base64 of an image at " + offset + ": " + window, window);
            }
        }
        return secrets;
    }

    private static void assertNoSecretIn(List<String> lines, Map<String, String> secrets) throws IOException {
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            assertThat(lines.stream().filter(l -> l.contains(secret.getValue())))
                    .as("lines holding " + secret.getKey())
                    .isEmpty();
        }
        Pattern bearer = Pattern.compile("(?i)bearer\\s");
        assertThat(lines.stream().filter(l -> bearer.matcher(l).find()))
                .as("lines holding a Bearer credential")
                .isEmpty();
        Pattern authorization = Pattern.compile("(?i)authorization[\"']?\\s*[:=]\\s*[\"']?(?!\\[redacted)\\S");
        assertThat(lines.stream().filter(l -> authorization.matcher(l).find()))
                .as("lines holding an Authorization header's value")
                .isEmpty();
        byte[] raw = Files.readAllBytes(LogFile.path);
        for (byte[] magic : List.of(
                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
                new byte[] {(byte) 0x89, 'P', 'N', 'G'},
                "\uFFFD".getBytes(StandardCharsets.UTF_8),
                "\u00ff\u00d8\u00ff".getBytes(StandardCharsets.UTF_8))) {
            assertThat(indexOf(raw, magic))
                    .as("image bytes %s in the log", HexFormat.of().formatHex(magic))
                    .isEqualTo(-1);
        }
    }

    /** The primary defence: apart from the deliberately leaky foreign line, nothing needed redacting. */
    private static void assertOnlyTheForeignLineNeededRedaction(List<String> lines) {
        assertThat(lines.stream().filter(l -> l.contains(Redactor.MARK)))
                .as("lines the filter had to redact")
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("foreign-line: "));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
