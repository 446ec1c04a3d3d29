package app.visage.emulators.fashn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.emulators.EmulatorServer.WebhookDelivery;
import app.visage.emulators.fashn.FashnEmulator.Script;
import app.visage.support.TestPhotos;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The FASHN emulator keeps FASHN's documented face-to-model contract, checked over real HTTP. */
class FashnEmulatorTest {
    private static final String KEY = "fa-test-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PHOTO = TestPhotos.bytes("astronaut.jpg");

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Hook> hooks = new CopyOnWriteArrayList<>();
    private final Queue<Integer> hookAnswers = new ConcurrentLinkedQueue<>();
    private final List<String> photoFetches = new CopyOnWriteArrayList<>();
    private volatile int laterHookAnswer = 200;
    private FashnEmulator fashn;
    private HttpServer receiver;

    /** A webhook as Visage's endpoint would receive it. */
    record Hook(String path, String query, JsonNode body) {}

    @BeforeEach
    void start() throws IOException {
        fashn = new FashnEmulator(KEY);
        fashn.processingTime(Duration.ofMillis(200));
        fashn.webhookRetryDelay(Duration.ofMillis(20));
        // Stands in for Visage: serves the face photo by URL and receives webhooks.
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/photos/", exchange -> {
            photoFetches.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, PHOTO.length);
            exchange.getResponseBody().write(PHOTO);
            exchange.close();
        });
        receiver.createContext("/hooks/", exchange -> {
            hooks.add(new Hook(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(),
                    JSON.readTree(exchange.getRequestBody())));
            exchange.sendResponseHeaders(Objects.requireNonNullElse(hookAnswers.poll(), laterHookAnswer), -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        fashn.close();
        receiver.stop(0);
    }

    @Test
    void everyCallNeedsTheBearerKey() throws Exception {
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(fashn.baseUrl().resolve("/v1/run"))
                        .POST(HttpRequest.BodyPublishers.ofString(body(inputs())))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongKey = send("POST", "/v1/run", body(inputs()), "Bearer other-key");
        HttpResponse<String> status = send("GET", "/v1/status/x", null, "Bearer other-key");

        for (HttpResponse<String> refused : List.of(anonymous, wrongKey, status)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(refused.body()))
                    .isEqualTo(JSON.createObjectNode()
                            .put("error", "UnauthorizedAccess")
                            .put("message", "Unauthorized: Invalid token"));
        }
        assertThat(fashn.runCalls()).hasSize(2);
        assertThat(fashn.statusCalls()).hasSize(1);
    }

    @Test
    void aPredictionStepsThroughItsPhasesAndServesItsOutput() throws Exception {
        fashn.processingTime(Duration.ofSeconds(3)); // a second a phase: a loaded machine still sees each one
        Map<String, Object> inputs = inputs();
        inputs.put("aspect_ratio", "4:5");
        inputs.put("output_format", "png");
        JsonNode accepted =
                JSON.readTree(run(hookUrl("/hooks/fashn/job-42", ""), inputs).body());
        assertThat(accepted.get("error").isNull()).isTrue();
        String id = accepted.get("id").asText();

        HttpResponse<String> first = status(id);
        assertThat(first.headers().firstValue("x-fashn-credits-used")).isEmpty();
        assertThat(fashn.outputsFor("job-42")).isEmpty();
        List<String> phases = new ArrayList<>(
                List.of(JSON.readTree(first.body()).get("status").asText()));
        HttpResponse<String> last = first;
        while (!phases.get(phases.size() - 1).equals("completed")) {
            Thread.sleep(20);
            last = status(id);
            String phase = JSON.readTree(last.body()).get("status").asText();
            if (!phase.equals(phases.get(phases.size() - 1))) {
                phases.add(phase);
            }
        }
        assertThat(phases).containsExactly("starting", "in_queue", "processing", "completed");

        JsonNode done = JSON.readTree(last.body());
        assertThat(last.headers().firstValue("x-fashn-credits-used")).hasValue("1");
        assertThat(done.get("id").asText()).isEqualTo(id);
        assertThat(done.get("error").isNull()).isTrue();
        assertThat(done.get("output")).hasSize(1);
        String url = done.get("output").get(0).asText();
        assertThat(url).startsWith(fashn.cdnUrl() + "/cdn/").endsWith(".png");
        HttpResponse<byte[]> image =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        // The CDN is another host than the API's: the API's host does not serve the file.
        URI onApiHost = fashn.baseUrl().resolve(URI.create(url).getPath());
        assertThat(http.send(HttpRequest.newBuilder(onApiHost).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(404);
        assertThat(image.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(image.body()).isEqualTo(fashn.outputsFor("job-42").get(0));
        assertThat(TestPhotos.read(image.body())).satisfies(i -> {
            assertThat(i.getWidth()).isEqualTo(512);
            assertThat(i.getHeight()).isEqualTo(640);
        });
    }

    @ParameterizedTest
    @CsvSource({"1:1,512,512", "4:5,512,640", "3:4,512,683", "2:3,512,768", "9:16,432,768", ",512,768"})
    void theAspectRatioSetsTheSize(String ratio, int width, int height) throws Exception {
        fashn.nextRun(Script.webhookBeforeResponse());
        Map<String, Object> inputs = inputs();
        if (ratio != null) {
            inputs.put("aspect_ratio", ratio);
        }
        String url = completedOutput(runId(null, inputs));

        assertThat(url).endsWith(".jpg");
        byte[] image = http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray())
                .body();
        assertThat(TestPhotos.read(image).getWidth()).isEqualTo(width);
        assertThat(TestPhotos.read(image).getHeight()).isEqualTo(height);
    }

    @Test
    void base64OutputIsPrefixedAsThePageSaysWhateverTheFormat() throws Exception {
        fashn.nextRun(Script.webhookBeforeResponse());
        Map<String, Object> inputs = inputs();
        inputs.put("return_base64", true);
        inputs.put("output_format", "jpeg");
        String output = completedOutput(runId(hookUrl("/hooks/job-b64", ""), inputs));

        // The face-to-model page: "prefixed data:image/png;base64,..." (the bytes are still the asked JPEG).
        assertThat(output).startsWith("data:image/png;base64,");
        byte[] image = Base64.getDecoder().decode(output.substring(output.indexOf(',') + 1));
        assertThat(image).isEqualTo(fashn.outputsFor("job-b64").get(0));
        assertThat(image).startsWith((byte) 0xFF, (byte) 0xD8);
        assertThat(TestPhotos.read(image).getHeight()).isEqualTo(768);
    }

    @Test
    void theWebhookReachesTheGivenUrlWithItsOwnQuery() throws Exception {
        Map<String, Object> inputs = inputs();
        inputs.put("face_image", receiverUrl("/photos/astronaut.jpg"));
        String id = runId(hookUrl("/hooks/fashn", "token=a1b2&job=job-7"), inputs);

        await(() -> hooks.size() == 1);
        Hook hook = hooks.get(0);
        assertThat(hook.path()).isEqualTo("/hooks/fashn");
        assertThat(hook.query()).isEqualTo("token=a1b2&job=job-7");
        assertThat(hook.body()).isEqualTo(JSON.readTree(status(id).body()));
        assertThat(hook.body().get("status").asText()).isEqualTo("completed");
        assertThat(photoFetches).containsExactly("/photos/astronaut.jpg");
        assertThat(fashn.outputsFor("job-7")).hasSize(1);
        assertThat(fashn.deliveries()).extracting(WebhookDelivery::status).containsExactly(200);
    }

    @Test
    void aRefusedWebhookIsRetriedUntilAnswered2xx() throws Exception {
        hookAnswers.addAll(List.of(500, 503));
        run(hookUrl("/hooks/job-r", ""), inputs());

        await(() -> hooks.size() == 3);
        Thread.sleep(150);
        assertThat(fashn.deliveries()).extracting(WebhookDelivery::status).containsExactly(500, 503, 200);
        assertThat(hooks).extracting(Hook::body).containsOnly(hooks.get(0).body());
    }

    @Test
    void aWebhookIsRetriedFiveTimesAtMost() throws Exception {
        laterHookAnswer = 500;
        run(hookUrl("/hooks/job-r", ""), inputs());

        await(() -> hooks.size() == 6);
        Thread.sleep(150);
        assertThat(hooks).hasSize(6);
    }

    @Test
    void scripted429sAnd500sCreateNoPrediction() throws Exception {
        List.of(Script.rateLimited(), Script.concurrencyLimited(), Script.outOfCredits(), Script.serverError())
                .forEach(fashn::nextRun);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = run(hookUrl("/hooks/job-" + i, ""), inputs());
            answers.add(response.statusCode() + " "
                    + JSON.readTree(response.body()).get("error").asText());
        }

        assertThat(answers)
                .containsExactly(
                        "429 RateLimitExceeded",
                        "429 ConcurrencyLimitExceeded",
                        "429 OutOfCredits",
                        "500 InternalServerError");
        Thread.sleep(400);
        assertThat(hooks).isEmpty();
        assertThat(run(null, inputs()).statusCode()).isEqualTo(200);
    }

    @Test
    void theConcurrencyLimitCountsUnfinishedPredictions() throws Exception {
        fashn.concurrencyLimit(1);
        fashn.processingTime(Duration.ofMillis(600));
        String id = runId(null, inputs());

        HttpResponse<String> second = run(null, inputs());
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(second.body()).get("error").asText()).isEqualTo("ConcurrencyLimitExceeded");
        awaitEnd(id);
        assertThat(run(null, inputs()).statusCode()).isEqualTo(200);
    }

    @Test
    void aScriptedFailureEndsFailedWithItsError() throws Exception {
        fashn.nextRun(Script.failWith("ContentModerationError", "Prohibited content detected"));
        String id = runId(hookUrl("/hooks/job-f", ""), inputs());

        HttpResponse<String> end = awaitEnd(id);
        JsonNode failed = JSON.readTree(end.body());
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("output").isNull()).isTrue();
        assertThat(failed.get("error"))
                .isEqualTo(JSON.readTree(
                        "{\"name\":\"ContentModerationError\",\"message\":\"Prohibited content detected\"}"));
        assertThat(end.headers().firstValue("x-fashn-credits-used")).isEmpty();
        await(() -> hooks.size() == 1);
        assertThat(hooks.get(0).body()).isEqualTo(failed);
        assertThat(fashn.outputsFor("job-f")).isEmpty();
    }

    @Test
    void anUnreadableFaceFailsAtRuntimeWithImageLoadError() throws Exception {
        Map<String, Object> inputs = inputs();
        inputs.put("face_image", TestPhotos.dataUri("truncated.jpg", "image/jpeg"));
        HttpResponse<String> accepted = run(null, inputs);
        assertThat(accepted.statusCode()).isEqualTo(200);

        JsonNode failed = JSON.readTree(
                awaitEnd(JSON.readTree(accepted.body()).get("id").asText()).body());
        assertThat(failed.at("/error/name").asText()).isEqualTo("ImageLoadError");
    }

    @Test
    void badInputsAreRefusedNamingTheField() throws Exception {
        Map<String, Object> cases = Map.of(
                "aspect_ratio",
                "16:9",
                "seed",
                -1,
                "output_format",
                "webp",
                "return_base64",
                "yes",
                "face_image",
                "face.jpg");
        for (Map.Entry<String, Object> bad : cases.entrySet()) {
            Map<String, Object> inputs = inputs();
            inputs.put(bad.getKey(), bad.getValue());
            HttpResponse<String> response = run(null, inputs);
            assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("BadRequest");
            assertThat(JSON.readTree(response.body()).get("message").asText()).contains(bad.getKey());
        }
        HttpResponse<String> otherModel = send(
                "POST",
                "/v1/run",
                JSON.writeValueAsString(Map.of("model_name", "tryon-v1.6", "inputs", inputs())),
                "Bearer " + KEY);
        assertThat(otherModel.statusCode()).isEqualTo(400);
        assertThat(otherModel.body()).contains("model_name");
    }

    @Test
    void aChunkedBodyIsRefusedWith411AndCreatesNoPrediction() throws Exception {
        byte[] json = body(inputs()).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = http.send(
                HttpRequest.newBuilder(fashn.baseUrl().resolve("/v1/run"))
                        .header("Authorization", "Bearer " + KEY)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(chunked.statusCode()).isEqualTo(411);
        assertThat(fashn.runCalls()).hasSize(1);
        assertThat(fashn.runCalls().get(0).body()).isEmpty();
        Thread.sleep(300);
        assertThat(hooks).isEmpty();
        assertThat(run(null, inputs()).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIsRefused() throws Exception {
        for (String contentType : List.of("text/plain", "application/x-www-form-urlencoded")) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(fashn.baseUrl().resolve("/v1/run"))
                            .header("Authorization", "Bearer " + KEY)
                            .header("content-type", contentType)
                            .POST(HttpRequest.BodyPublishers.ofString(body(inputs())))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(contentType).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("BadRequest");
        }
        HttpResponse<String> withCharset = http.send(
                HttpRequest.newBuilder(fashn.baseUrl().resolve("/v1/run"))
                        .header("Authorization", "Bearer " + KEY)
                        .header("content-type", "application/json; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body(inputs())))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withCharset.statusCode()).isEqualTo(200);
    }

    @Test
    void inputsFaceToModelDoesNotTakeAreRefused() throws Exception {
        // The newer schema's inputs are left out: the older page does not have them (only what both allow).
        Map<String, Object> unknown = Map.of(
                "resolution", "1k", "generation_mode", "fast", "num_images", 1, "width", 512, "webhook_url", "x");
        for (Map.Entry<String, Object> extra : unknown.entrySet()) {
            Map<String, Object> inputs = inputs();
            inputs.put(extra.getKey(), extra.getValue());
            HttpResponse<String> response = run(null, inputs);
            assertThat(response.statusCode()).as(extra.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("BadRequest");
            assertThat(JSON.readTree(response.body()).get("message").asText()).contains(extra.getKey());
        }
    }

    @Test
    void theWebhookUrlIsTakenOnlyAsAQueryParameter() throws Exception {
        Map<String, Object> inBody = new HashMap<>(Map.of(
                "model_name", "face-to-model", "inputs", inputs(), "webhook_url", hookUrl("/hooks/job-body", "")));
        HttpResponse<String> refused = send("POST", "/v1/run", JSON.writeValueAsString(inBody), "Bearer " + KEY);
        HttpResponse<String> otherTopLevel = send(
                "POST",
                "/v1/run",
                JSON.writeValueAsString(Map.of("model_name", "face-to-model", "inputs", inputs(), "mode", "fast")),
                "Bearer " + KEY);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("message").asText()).contains("webhook_url");
        assertThat(otherTopLevel.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(otherTopLevel.body()).get("message").asText()).contains("mode");
        Thread.sleep(300);
        assertThat(hooks).isEmpty();
    }

    @Test
    void theSeedMustBeAnIntegerFrom0To2To32Minus1() throws Exception {
        for (Object bad : List.of(7.5, "7", -1, 4_294_967_296L, true)) {
            Map<String, Object> inputs = inputs();
            inputs.put("seed", bad);
            HttpResponse<String> response = run(null, inputs);
            assertThat(response.statusCode()).as(String.valueOf(bad)).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("message").asText()).contains("seed");
        }
        for (long good : List.of(0L, 42L, 4_294_967_295L)) {
            Map<String, Object> inputs = inputs();
            inputs.put("seed", good);
            assertThat(run(null, inputs).statusCode()).as(String.valueOf(good)).isEqualTo(200);
        }
    }

    @Test
    void nullIsNoValueOfAnyDocumentedType() throws Exception {
        for (String name : List.of("prompt", "aspect_ratio", "seed", "output_format", "return_base64", "face_image")) {
            Map<String, Object> inputs = inputs();
            inputs.put(name, null);
            HttpResponse<String> response = run(null, inputs);
            assertThat(response.statusCode()).as(name).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("message").asText()).contains(name);
        }
    }

    @Test
    void aPromptMustBeAString() throws Exception {
        Map<String, Object> inputs = inputs();
        inputs.put("prompt", List.of("athletic build"));
        HttpResponse<String> response = run(null, inputs);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("message").asText()).contains("prompt");
    }

    @Test
    void runsCanBeMadeToFailAtRuntimeAndThenSucceed() throws Exception {
        fashn.failNextRuns(2, "PipelineError");
        List<JsonNode> ends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ends.add(JSON.readTree(awaitEnd(runId(null, inputs())).body()));
        }

        assertThat(ends)
                .extracting(e ->
                        e.get("status").asText() + " " + e.at("/error/name").asText())
                .containsExactly("failed PipelineError", "failed PipelineError", "completed ");
        assertThat(ends).extracting(e -> e.get("id").asText()).doesNotHaveDuplicates();
        assertThat(ends.get(2).get("output")).hasSize(1);
    }

    @Test
    void aPredictionCanCompleteWithAnEmptyOrNullOutput() throws Exception {
        fashn.nextRun(Script.completeWithEmptyOutput());
        fashn.nextRun(Script.completeWithNullOutput());
        JsonNode empty = JSON.readTree(awaitEnd(runId(null, inputs())).body());
        JsonNode none = JSON.readTree(awaitEnd(runId(null, inputs())).body());

        assertThat(empty.get("status").asText()).isEqualTo("completed");
        assertThat(empty.get("output").isArray()).isTrue();
        assertThat(empty.get("output")).isEmpty();
        assertThat(empty.get("error").isNull()).isTrue();
        assertThat(none.get("status").asText()).isEqualTo("completed");
        assertThat(none.get("output").isNull()).isTrue();
    }

    @Test
    void aPredictionCanFailWithoutAnErrorObject() throws Exception {
        fashn.nextRun(Script.failWithoutError());
        JsonNode failed = JSON.readTree(awaitEnd(runId(null, inputs())).body());

        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").isNull()).isTrue();
        assertThat(failed.get("output").isNull()).isTrue();
    }

    @Test
    void aKnownPredictionCanBeMadeNoLongerTracked() throws Exception {
        String id = runId(null, inputs());
        fashn.failNextStatusCalls(1, 404);

        HttpResponse<String> gone = status(id);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()))
                .isEqualTo(JSON.readTree(
                        "{\"error\":\"NotFound\",\"message\":\"prediction status is no longer tracked\"}"));
        assertThat(status(id).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownPredictionIs404() throws Exception {
        HttpResponse<String> response = status("no-such-id");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()))
                .isEqualTo(JSON.readTree(
                        "{\"error\":\"NotFound\",\"message\":\"prediction status is no longer tracked\"}"));
    }

    @Test
    void statusCallsCanBeMadeToFail() throws Exception {
        String id = runId(null, inputs());
        fashn.failNextStatusCalls(2, 503);

        assertThat(List.of(
                        status(id).statusCode(),
                        status(id).statusCode(),
                        status(id).statusCode()))
                .containsExactly(503, 503, 200);
    }

    @Test
    void webhooksCanBeDroppedOrDuplicated() throws Exception {
        fashn.nextRun(Script.dropWebhook());
        fashn.nextRun(Script.duplicateWebhook());
        String dropped = runId(hookUrl("/hooks/job-d", ""), inputs());
        String duplicated = runId(hookUrl("/hooks/job-2", ""), inputs());

        awaitEnd(dropped);
        await(() -> hooks.size() >= 2);
        Thread.sleep(100);
        assertThat(hooks).extracting(h -> h.body().get("id").asText()).containsExactly(duplicated, duplicated);
    }

    @Test
    void theWebhookCanArriveBeforeTheRunAnswer() throws Exception {
        fashn.nextRun(Script.webhookBeforeResponse());
        HttpResponse<String> accepted = run(hookUrl("/hooks/job-early", ""), inputs());

        assertThat(hooks)
                .extracting(h -> h.body().get("id").asText())
                .containsExactly(JSON.readTree(accepted.body()).get("id").asText());
    }

    @Test
    void aSlowRunAnswersLateButHasAlreadyStarted() throws Exception {
        fashn.processingTime(Duration.ofMillis(50));
        fashn.nextRun(Script.slow(Duration.ofMillis(500)));
        long start = System.nanoTime();
        HttpResponse<String> accepted = run(hookUrl("/hooks/job-slow", ""), inputs());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(accepted.statusCode()).isEqualTo(200);
        // The prediction started before the answer: its webhook comes whether or not the answer was awaited.
        for (int i = 0; i < 100 && hooks.isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(hooks).hasSize(1);
    }

    @Test
    void answersCanBeCutOffWhileThePredictionRunsOn() throws Exception {
        fashn.nextRun(Script.garbledAnswer());
        HttpResponse<String> garbled = run(hookUrl("/hooks/job-garbled", ""), inputs());

        assertThat(garbled.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> JSON.readTree(garbled.body())).isInstanceOf(IOException.class);
        await(() -> hooks.size() == 1);
        String id = hooks.get(0).body().get("id").asText();
        assertThat(fashn.predictionsFor("job-garbled")).isEqualTo(1);
        fashn.garbleNextStatusCalls(1);
        assertThatThrownBy(() -> JSON.readTree(status(id).body())).isInstanceOf(IOException.class);
        assertThat(JSON.readTree(status(id).body()).get("status").asText()).isEqualTo("completed");
    }

    private static Map<String, Object> inputs() {
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("face_image", TestPhotos.dataUri("astronaut.jpg", "image/jpeg"));
        inputs.put("prompt", "athletic build");
        inputs.put("seed", 7);
        return inputs;
    }

    private static String body(Map<String, Object> inputs) throws IOException {
        return JSON.writeValueAsString(Map.of("model_name", "face-to-model", "inputs", inputs));
    }

    private String receiverUrl(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private String hookUrl(String path, String query) {
        return receiverUrl(path) + (query.isEmpty() ? "" : "?" + query);
    }

    private HttpResponse<String> run(String webhookUrl, Map<String, Object> inputs) throws Exception {
        String query =
                webhookUrl == null ? "" : "?webhook_url=" + URLEncoder.encode(webhookUrl, StandardCharsets.UTF_8);
        return send("POST", "/v1/run" + query, body(inputs), "Bearer " + KEY);
    }

    /** Starts a prediction that must be accepted; answers its id. */
    private String runId(String webhookUrl, Map<String, Object> inputs) throws Exception {
        HttpResponse<String> response = run(webhookUrl, inputs);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("id").asText();
    }

    private HttpResponse<String> status(String id) throws Exception {
        return send("GET", "/v1/status/" + id, null, "Bearer " + KEY);
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String json, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fashn.baseUrl() + pathAndQuery))
                .header("Authorization", authorization)
                .header("content-type", "application/json");
        request.method(
                method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> awaitEnd(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = status(id);
            if (List.of("completed", "failed")
                    .contains(JSON.readTree(response.body()).get("status").asText())) {
                return response;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("prediction " + id + " did not end");
    }

    /** The single output of a prediction that must already have completed. */
    private String completedOutput(String id) throws Exception {
        JsonNode status = JSON.readTree(status(id).body());
        assertThat(status.get("status").asText()).isEqualTo("completed");
        return status.get("output").get(0).asText();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.sleep(10);
        }
    }
}
