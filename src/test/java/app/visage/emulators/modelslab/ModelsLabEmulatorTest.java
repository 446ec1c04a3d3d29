package app.visage.emulators.modelslab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.emulators.modelslab.ModelsLabEmulator.Script;
import app.visage.support.TestPhotos;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ModelsLab emulator keeps the documented contract, over real HTTP. */
class ModelsLabEmulatorTest {
    private static final String KEY = "v6-key";
    private static final String ENTERPRISE_KEY = "enterprise-key";
    private static final String FACE_GEN_KEY = "face-gen-key";
    private static final String HEAD_SHOT = "/api/v6/image_editing/head_shot";
    private static final String V6_FETCH = "/api/v6/image_editing/fetch/";
    private static final String FACE_GEN = "/api/v6/image_editing/face_gen";
    private static final String ENTERPRISE_FACE_GEN = "/api/v1/enterprise/image_editing/face_gen";
    private static final String ENTERPRISE_HEAD_SHOT = "/api/v1/enterprise/image_editing/head_shot";
    private static final String MAKE_GEN = "/api/v1/enterprise/face_gen/make_gen";
    private static final String FACE_GEN_FETCH = "/api/v1/enterprise/face_gen/fetch/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final byte[] photo = TestPhotos.bytes("astronaut.jpg");
    /** A face photo past 512 x 768, as phones take them. */
    private final byte[] bigPhoto = TestPhotos.png(scaled(TestPhotos.image("astronaut.jpg"), 600, 900));

    private final List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    /** Stands in for Visage: serves the face photo (as a presigned URL would) and receives webhooks. */
    private HttpServer visage;

    private ModelsLabEmulator modelsLab;

    private record Answer(int status, JsonNode json) {}

    @BeforeEach
    void start() throws IOException {
        visage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        visage.createContext("/face.jpg", exchange -> {
            exchange.sendResponseHeaders(200, photo.length);
            exchange.getResponseBody().write(photo);
            exchange.close();
        });
        visage.createContext("/big.png", exchange -> {
            exchange.sendResponseHeaders(200, bigPhoto.length);
            exchange.getResponseBody().write(bigPhoto);
            exchange.close();
        });
        visage.createContext("/hooks/", exchange -> {
            hooks.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        visage.start();
        modelsLab = new ModelsLabEmulator(KEY, ENTERPRISE_KEY, FACE_GEN_KEY);
        modelsLab.processingTime(Duration.ofMillis(250));
    }

    @AfterEach
    void stop() {
        modelsLab.close();
        visage.stop(0);
    }

    @Test
    void jobProcessesThenSucceedsAndItsOutputsDownload() throws Exception {
        // numbers as strings, as the docs' examples send them
        Answer submitted = post(
                HEAD_SHOT,
                request(
                        KEY,
                        "width",
                        "256",
                        "height",
                        "384",
                        "samples",
                        "2",
                        "num_inference_steps",
                        "21",
                        "webhook",
                        hookUrl("job-1")));

        assertThat(submitted.status()).isEqualTo(200);
        JsonNode body = submitted.json();
        assertThat(body.get("status").asText()).isEqualTo("processing");
        assertThat(body.get("id").isInt()).isTrue();
        int id = body.get("id").asInt();
        assertThat(body.get("fetch_result").asText()).isEqualTo(modelsLab.baseUrl() + V6_FETCH + id);
        assertThat(body.get("eta").asInt()).isEqualTo(1);
        assertThat(body.get("output").isArray() && body.get("output").isEmpty()).isTrue();
        assertThat(body.get("future_links")).hasSize(2);
        assertThat(get(body.get("future_links").get(0).asText()).statusCode()).isEqualTo(404);

        JsonNode processing = post(V6_FETCH + id, Map.of("key", KEY)).json();
        assertThat(processing.get("status").asText()).isEqualTo("processing");
        assertThat(processing.get("output").isTextual()).isTrue();
        assertThat(processing.get("output").asText()).isEmpty();
        assertThat(modelsLab.outputsFor("job-1")).isEmpty();

        await(() -> fetch(V6_FETCH + id, KEY).get("status").asText().equals("success"));
        JsonNode done = fetch(V6_FETCH + id, KEY);
        assertThat(done.get("id").isInt()).isTrue();
        assertThat(done.get("id").asInt()).isEqualTo(id);
        assertThat(done.get("output")).hasSize(2);
        List<byte[]> outputs = modelsLab.outputsFor("job-1");
        assertThat(outputs).hasSize(2);
        for (int n = 0; n < 2; n++) {
            HttpResponse<byte[]> download = get(done.get("output").get(n).asText());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(outputs.get(n));
            BufferedImage image = TestPhotos.read(download.body());
            assertThat(image.getWidth()).isEqualTo(256);
            assertThat(image.getHeight()).isEqualTo(384);
        }
        assertThat(modelsLab.generationCalls()).hasSize(1);
        assertThat(modelsLab.fetchCalls()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void succeedAtOnceOnTheEnterpriseFaceGenServerUsesTheFacePhotosSize() throws Exception {
        modelsLab.nextSubmit(Script.succeedAtOnce());

        JsonNode body = post(MAKE_GEN, makeGen()).json();

        assertThat(body.get("status").asText()).isEqualTo("success");
        assertThat(body.get("id").isInt()).isTrue();
        assertThat(body.get("generationTime").isNumber()).isTrue();
        assertThat(body.get("output")).hasSize(1);
        BufferedImage image =
                TestPhotos.read(get(body.get("output").get(0).asText()).body());
        BufferedImage face = TestPhotos.read(photo);
        assertThat(image.getWidth()).isEqualTo(face.getWidth());
        assertThat(image.getHeight()).isEqualTo(face.getHeight());
        int id = body.get("id").asInt();
        assertThat(fetch(FACE_GEN_FETCH + id, FACE_GEN_KEY).get("status").asText())
                .isEqualTo("success");
        // each server knows only its own jobs
        assertThat(fetch(V6_FETCH + id, KEY).get("messege").asText()).isEqualTo("Invalid id");
    }

    @Test
    void wrongKeyIs401() throws Exception {
        Answer submitted = post(HEAD_SHOT, request(ENTERPRISE_KEY));
        Answer fetched = post(V6_FETCH + 81000, Map.of("key", FACE_GEN_KEY));

        assertThat(submitted.status()).isEqualTo(401);
        assertThat(submitted.json().get("message").asText()).isEqualTo("Invalid API key");
        assertThat(fetched.status()).isEqualTo(401);
        assertThat(modelsLab.inFlight(KEY) + modelsLab.inFlight(ENTERPRISE_KEY)).isZero();
    }

    @Test
    void invalidRequestsAnswer200WithAnErrorBody() throws Exception {
        modelsLab.processingTime(Duration.ofSeconds(5));

        assertError(post(HEAD_SHOT, request(KEY, "width", 600)), "width");
        assertError(post(HEAD_SHOT, request(KEY, "num_inference_steps", "25")), "num_inference_steps");
        assertError(
                post(HEAD_SHOT, request(KEY, "face_image", TestPhotos.dataUri("astronaut.jpg", "image/jpeg"))),
                "base64");
        assertError(
                post(HEAD_SHOT, request(KEY, "face_image", visageUrl("/missing.jpg"))), "unable to load face_image");
        Map<String, Object> noSeed = makeGen();
        noSeed.remove("seed");
        assertError(post(MAKE_GEN, noSeed), "seed");
        assertThat(modelsLab.inFlight(KEY) + modelsLab.inFlight(FACE_GEN_KEY)).isZero();

        // base64 data is fine when flagged, and unknown fields are ignored
        Answer accepted = post(
                HEAD_SHOT,
                request(
                        KEY,
                        "base64",
                        true,
                        "not_a_field",
                        "x",
                        "face_image",
                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg")));
        assertThat(accepted.json().get("status").asText()).isEqualTo("processing");
        assertThat(modelsLab.inFlight(KEY)).isEqualTo(1);
    }

    @Test
    void queueLimitIsPerKeyAnswers429WithRetryAfter() throws Exception {
        modelsLab.processingTime(Duration.ofSeconds(5));
        modelsLab.queueLimit(2);
        modelsLab.retryAfterSeconds(7);
        post(HEAD_SHOT, request(KEY));
        post(HEAD_SHOT, request(KEY));

        Answer third = post(HEAD_SHOT, request(KEY));

        assertThat(third.status()).isEqualTo(429);
        assertThat(third.json().get("message").asText())
                .isEqualTo("Rate limit exceeded. Maximum 2 queued requests allowed.");
        assertThat(third.json().get("retry_after").asInt()).isEqualTo(7);
        assertThat(modelsLab.inFlight(KEY)).isEqualTo(2);
        assertThat(post(MAKE_GEN, makeGen()).status()).isEqualTo(200);
        assertThat(modelsLab.inFlight(FACE_GEN_KEY)).isEqualTo(1);
    }

    @Test
    void scriptedFailuresCreateNoJob() throws Exception {
        modelsLab.nextSubmit(Script.legacyErrorBody("out of credits"));
        modelsLab.nextSubmit(Script.serverError(503));
        modelsLab.nextSubmit(Script.rateLimited());

        Answer legacy = post(HEAD_SHOT, request(KEY));
        Answer unavailable = post(HEAD_SHOT, request(KEY));
        Answer limited = post(HEAD_SHOT, request(KEY));

        assertThat(legacy.status()).isEqualTo(200);
        assertThat(legacy.json().get("status").asText()).isEqualTo("error");
        assertThat(legacy.json().get("messege").asText()).isEqualTo("out of credits");
        assertThat(legacy.json().has("message")).isFalse();
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(modelsLab.inFlight(KEY)).isZero();
        assertThat(post(HEAD_SHOT, request(KEY)).json().get("status").asText()).isEqualTo("processing");
    }

    @Test
    void webhookCarriesTheIdAsAString() throws Exception {
        int id = post(HEAD_SHOT, request(KEY, "webhook", hookUrl("job-2"), "track_id", 42))
                .json()
                .get("id")
                .asInt();

        await(() -> !hooks.isEmpty());
        JsonNode hook = hooks.get(0);
        assertThat(hook.get("status").asText()).isEqualTo("success");
        assertThat(hook.get("id").isTextual()).isTrue();
        assertThat(hook.get("id").asText()).isEqualTo(String.valueOf(id));
        assertThat(hook.get("track_id").asInt()).isEqualTo(42);
        assertThat(hook.get("output")).hasSize(1);
        await(() -> !modelsLab.deliveries().isEmpty()); // recorded once our answer reached the emulator
        Thread.sleep(300);
        assertThat(modelsLab.deliveries()).extracting(d -> d.status()).containsExactly(200);
        assertThat(hooks).hasSize(1);
    }

    @Test
    void duplicateWebhookIsSentTwice() throws Exception {
        modelsLab.nextSubmit(Script.duplicateWebhook());
        post(HEAD_SHOT, request(KEY, "webhook", hookUrl("job-3")));

        await(() -> hooks.size() >= 2);
        Thread.sleep(300);
        assertThat(hooks).hasSize(2);
        assertThat(hooks.get(0)).isEqualTo(hooks.get(1));
    }

    @Test
    void droppedWebhookNeverComesButFetchSucceeds() throws Exception {
        modelsLab.nextSubmit(Script.dropWebhook());
        int id = post(HEAD_SHOT, request(KEY, "webhook", hookUrl("job-4")))
                .json()
                .get("id")
                .asInt();

        await(() -> fetch(V6_FETCH + id, KEY).get("status").asText().equals("success"));
        Thread.sleep(200);
        assertThat(hooks).isEmpty();
        assertThat(modelsLab.outputsFor("job-4")).hasSize(1);
    }

    @Test
    void webhookBeforeResponseIsDeliveredBeforeTheAnswerArrives() throws Exception {
        modelsLab.nextSubmit(Script.webhookBeforeResponse());

        JsonNode body =
                post(HEAD_SHOT, request(KEY, "webhook", hookUrl("job-5"))).json();

        assertThat(hooks).hasSize(1); // no waiting: it was answered before the submit was
        assertThat(body.get("status").asText()).isEqualTo("processing");
        assertThat(hooks.get(0).get("id").asText()).isEqualTo(body.get("id").asText());
        assertThat(fetch(V6_FETCH + body.get("id").asInt(), KEY).get("status").asText())
                .isEqualTo("success");
    }

    @Test
    void earlyWebhookPointsAtOutputsThatDoNotExistYet() throws Exception {
        modelsLab.nextSubmit(Script.earlyWebhook());
        int id = post(HEAD_SHOT, request(KEY, "webhook", hookUrl("job-6")))
                .json()
                .get("id")
                .asInt();

        await(() -> !hooks.isEmpty());
        String output = hooks.get(0).get("output").get(0).asText();
        assertThat(hooks.get(0).get("status").asText()).isEqualTo("success");
        assertThat(fetch(V6_FETCH + id, KEY).get("status").asText()).isEqualTo("processing");
        assertThat(get(output).statusCode()).isEqualTo(404);

        await(() -> hooks.size() == 2);
        assertThat(get(output).statusCode()).isEqualTo(200);
    }

    @Test
    void failLaterSendsAFailedWebhookAndFetchAnswersTheError() throws Exception {
        modelsLab.nextSubmit(Script.failLater("NSFW content"));
        int id = post(HEAD_SHOT, request(KEY, "webhook", hookUrl("job-7"), "track_id", 7))
                .json()
                .get("id")
                .asInt();

        await(() -> !hooks.isEmpty());
        assertThat(hooks.get(0).get("status").asText()).isEqualTo("failed");
        assertThat(hooks.get(0).get("id").asText()).isEqualTo(String.valueOf(id));
        assertThat(hooks.get(0).get("message").asText()).isEqualTo("NSFW content");
        assertThat(hooks.get(0).get("track_id").asInt()).isEqualTo(7);
        JsonNode fetched = fetch(V6_FETCH + id, KEY);
        assertThat(fetched.get("status").asText()).isEqualTo("error");
        assertThat(fetched.get("message").asText()).isEqualTo("NSFW content");
        assertThat(modelsLab.outputsFor("job-7")).isEmpty();
    }

    @Test
    void slowSubmitStillCreatesTheJob() throws Exception {
        modelsLab.nextSubmit(Script.slow(Duration.ofMillis(500)));
        HttpRequest submit = HttpRequest.newBuilder(modelsLab.baseUrl().resolve(HEAD_SHOT))
                .timeout(Duration.ofMillis(100))
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request(KEY))))
                .build();

        assertThatThrownBy(() -> http.send(submit, HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(modelsLab.inFlight(KEY)).isZero();
        await(() -> modelsLab.inFlight(KEY) == 1);
    }

    @Test
    void unknownIdsAndFailingFetches() throws Exception {
        Answer faceGen = post(FACE_GEN_FETCH + 123, Map.of("key", FACE_GEN_KEY));
        assertThat(faceGen.status()).isEqualTo(404);
        assertThat(faceGen.json().get("message").asText()).isEqualTo("ID does not exist or is not queued");
        Answer v6 = post(V6_FETCH + 123, Map.of("key", KEY));
        assertThat(v6.status()).isEqualTo(200);
        assertThat(v6.json().get("messege").asText()).isEqualTo("Invalid id");

        modelsLab.failNextFetches(1, 500);
        assertThat(post(V6_FETCH + 123, Map.of("key", KEY)).status()).isEqualTo(500);
        assertThat(post(V6_FETCH + 123, Map.of("key", KEY)).status()).isEqualTo(200);
        assertThat(post("/api/v6/image_editing/nope", Map.of("key", KEY)).status())
                .isEqualTo(404);
    }

    @Test
    void answersCanBeCutOffWhileTheJobRunsOn() throws Exception {
        modelsLab.nextSubmit(Script.garbledAnswer());
        assertThatThrownBy(() -> post(HEAD_SHOT, request(KEY, "webhook", hookUrl("job-garbled"))))
                .isInstanceOf(IOException.class);

        await(() -> hooks.size() == 1);
        assertThat(modelsLab.jobsCreatedFor("job-garbled")).isEqualTo(1);
        int id = hooks.get(0).get("id").asInt();
        modelsLab.garbleNextFetches(1);
        assertThatThrownBy(() -> post(V6_FETCH + id, Map.of("key", KEY))).isInstanceOf(IOException.class);
        assertThat(fetch(V6_FETCH + id, KEY).get("status").asText()).isEqualTo("success");
    }

    @Test
    void eachEndpointChecksTypesAndRangesAsItsSchemaSays() throws Exception {
        modelsLab.processingTime(Duration.ofSeconds(5));
        // v6 head_shot: guidance_scale is an integer 1-5 (the OpenAPI; its page's example sends 7.5)
        assertError(post(HEAD_SHOT, request(KEY, "guidance_scale", 7.5)), "guidance_scale");
        assertError(post(HEAD_SHOT, request(KEY, "guidance_scale", 3.5)), "guidance_scale");
        assertError(post(HEAD_SHOT, request(KEY, "guidance_scale", 6)), "guidance_scale");
        assertError(post(HEAD_SHOT, request(KEY, "guidance_scale", "3")), "guidance_scale");
        // v6 face_gen: a number 1-20
        assertError(post(FACE_GEN, request(KEY, "guidance_scale", 21)), "guidance_scale");
        // numbers as strings only where every example sends them so
        assertError(post(HEAD_SHOT, request(KEY, "s_scale", "1.0")), "s_scale");
        assertError(post(HEAD_SHOT, request(KEY, "s_scale", 2.5)), "s_scale");
        assertError(post(HEAD_SHOT, request(KEY, "samples", 3)), "samples");
        assertError(post(HEAD_SHOT, request(KEY, "height", 800)), "height");
        assertError(post(HEAD_SHOT, request(KEY, "safety_checker", "true")), "safety_checker");
        assertError(post(HEAD_SHOT, request(KEY, "safety_checker_type", "gaussian")), "safety_checker_type");
        assertError(post(HEAD_SHOT, request(KEY, "base64", "false")), "base64");
        assertError(post(HEAD_SHOT, request(KEY, "webhook", "not a url")), "webhook");
        assertError(post(FACE_GEN, request(KEY, "style", "oil")), "style");
        assertError(post(HEAD_SHOT, request(KEY, "prompt", "")), "prompt");
        // track_id: an integer on v6 (OpenAPI), a string on the enterprise pages
        assertError(post(HEAD_SHOT, request(KEY, "track_id", "7")), "track_id");
        Map<String, Object> intTrackId = makeGen();
        intTrackId.put("track_id", 7);
        assertError(post(MAKE_GEN, intTrackId), "track_id");
        assertThat(modelsLab.inFlight(KEY) + modelsLab.inFlight(FACE_GEN_KEY)).isZero();

        Answer typed = post(
                HEAD_SHOT,
                request(
                        KEY,
                        "guidance_scale",
                        3,
                        "s_scale",
                        1.5,
                        "safety_checker",
                        true,
                        "safety_checker_type",
                        "blur",
                        "track_id",
                        7,
                        "webhook",
                        hookUrl("typed")));
        assertThat(typed.json().get("status").asText()).isEqualTo("processing");
        assertThat(post(FACE_GEN, request(KEY, "guidance_scale", 7.5, "style", "anime"))
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("processing");
    }

    @Test
    void theEnterprisePagesRequireEveryFieldTheyList() throws Exception {
        modelsLab.processingTime(Duration.ofSeconds(5));
        Map<String, Object> faceGen = enterpriseFaceGen();
        for (String field : List.of(
                "width",
                "height",
                "num_inference_steps",
                "guidance_scale",
                "style",
                "s_scale",
                "samples",
                "safety_checker",
                "safety_checker_type",
                "base64",
                "webhook",
                "track_id")) {
            Map<String, Object> without = new HashMap<>(faceGen);
            without.remove(field);
            assertError(post(ENTERPRISE_FACE_GEN, without), field);
        }
        Map<String, Object> headShot = enterpriseHeadShot();
        for (String field : List.of("negative_prompt", "num_inference_steps", "guidance_scale", "seed", "webhook")) {
            Map<String, Object> without = new HashMap<>(headShot);
            without.remove(field);
            assertError(post(ENTERPRISE_HEAD_SHOT, without), field);
        }
        Map<String, Object> nullSeed = new HashMap<>(headShot);
        nullSeed.put("seed", null);
        assertError(post(ENTERPRISE_HEAD_SHOT, nullSeed), "seed");
        for (String field : List.of("safety_checker", "safety_checker_type", "s_scale", "seed")) {
            Map<String, Object> without = makeGen();
            without.remove(field);
            assertError(post(MAKE_GEN, without), field);
        }
        assertThat(modelsLab.inFlight(ENTERPRISE_KEY) + modelsLab.inFlight(FACE_GEN_KEY))
                .isZero();

        // every field present, webhook and track_id null as the examples send them
        assertThat(post(ENTERPRISE_FACE_GEN, faceGen).json().get("status").asText())
                .isEqualTo("processing");
        assertThat(post(ENTERPRISE_HEAD_SHOT, headShot).json().get("status").asText())
                .isEqualTo("processing");
        assertThat(modelsLab.inFlight(ENTERPRISE_KEY)).isEqualTo(2);
    }

    @Test
    void withoutWidthAndHeightAPhotoPastTheLimitsIsRefused() throws Exception {
        Answer refused = post(HEAD_SHOT, request(KEY, "face_image", visageUrl("/big.png")));
        Answer sized = post(HEAD_SHOT, request(KEY, "face_image", visageUrl("/big.png"), "width", 512, "height", 768));

        assertError(refused, "512 x 768");
        assertThat(sized.json().get("status").asText()).isEqualTo("processing");
        assertThat(sized.json().get("meta").get("width").asInt()).isEqualTo(512);
        assertThat(sized.json().get("meta").get("height").asInt()).isEqualTo(768);
    }

    @Test
    void outputsLateAnswersSuccessBeforeItsFilesAreOnTheCdn() throws Exception {
        modelsLab.nextSubmit(Script.outputsLate(Duration.ofMillis(1500)));

        JsonNode body = post(HEAD_SHOT, request(KEY, "seed", 99)).json();

        assertThat(body.get("status").asText()).isEqualTo("success");
        String output = body.get("output").get(0).asText();
        assertThat(URI.create(output).getHost()).isEqualTo("127.0.0.2");
        assertThat(output).startsWith(modelsLab.cdnUrl().toString());
        assertThat(body.get("meta").get("seed").asLong()).isEqualTo(99);
        assertThat(get(output).statusCode()).isEqualTo(404);
        JsonNode fetched = fetch(V6_FETCH + body.get("id").asInt(), KEY);
        assertThat(fetched.get("status").asText()).isEqualTo("success");
        assertThat(fetched.get("output").get(0).asText()).isEqualTo(output);
        await(() -> {
            try {
                return get(output).statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        // never on the API's own host
        assertThat(get(modelsLab.baseUrl() + URI.create(output).getPath()).statusCode())
                .isNotEqualTo(200);
    }

    @Test
    void nsfwDetectedReplacesTheImageOnlyWhenTheCheckerIsOn() throws Exception {
        modelsLab.nextSubmit(Script.nsfwDetected());
        modelsLab.nextSubmit(Script.nsfwDetected());

        JsonNode on = post(HEAD_SHOT, request(KEY, "safety_checker", true, "safety_checker_type", "black"))
                .json();
        JsonNode off = post(HEAD_SHOT, request(KEY, "safety_checker", false)).json();

        assertThat(on.get("status").asText()).isEqualTo("success");
        assertThat(on.get("nsfw_content_detected").asBoolean()).isTrue();
        assertThat(on.get("meta").get("safety_checker").asText()).isEqualTo("yes");
        assertThat(on.get("meta").get("safety_checker_type").asText()).isEqualTo("black");
        BufferedImage replaced =
                TestPhotos.read(get(on.get("output").get(0).asText()).body());
        assertThat(replaced.getRGB(256, 256) & 0xFFFFFF).isZero();
        assertThat(off.get("nsfw_content_detected").asBoolean()).isTrue();
        assertThat(off.get("meta").get("safety_checker").asText()).isEqualTo("no");
        BufferedImage kept =
                TestPhotos.read(get(off.get("output").get(0).asText()).body());
        assertThat(TestPhotos.meanDifference(kept, TestPhotos.image("astronaut.jpg")))
                .isLessThan(10);
    }

    @Test
    void successWithoutOutputsIsFollowedByTheOutputsOnFetch() throws Exception {
        modelsLab.nextSubmit(Script.successWithoutOutputs());

        JsonNode body = post(HEAD_SHOT, request(KEY)).json();

        assertThat(body.get("status").asText()).isEqualTo("success");
        assertThat(body.get("output")).isEmpty();
        int id = body.get("id").asInt();
        await(() -> fetch(V6_FETCH + id, KEY).path("output").size() == 1);
        assertThat(fetch(V6_FETCH + id, KEY).get("status").asText()).isEqualTo("success");
    }

    @Test
    void insufficientCreditsIs402AndServersPickASeedWhenNoneIsSent() throws Exception {
        modelsLab.nextSubmit(Script.insufficientCredits());

        Answer broke = post(HEAD_SHOT, request(KEY));
        JsonNode picked = post(HEAD_SHOT, request(KEY)).json();

        assertThat(broke.status()).isEqualTo(402);
        assertThat(broke.json().get("status").asText()).isEqualTo("error");
        assertThat(broke.json().get("message").asText()).contains("Insufficient credits");
        assertThat(picked.get("meta").get("seed").isIntegralNumber()).isTrue();
        assertThat(modelsLab.inFlight(KEY)).isEqualTo(1);
    }

    private Map<String, Object> enterpriseFaceGen() {
        return request(
                ENTERPRISE_KEY,
                "width",
                "512",
                "height",
                "512",
                "samples",
                "1",
                "num_inference_steps",
                "21",
                "guidance_scale",
                7.5,
                "style",
                "realistic",
                "s_scale",
                1.0,
                "safety_checker",
                false,
                "safety_checker_type",
                "blur",
                "base64",
                false,
                "webhook",
                null,
                "track_id",
                null);
    }

    private Map<String, Object> enterpriseHeadShot() {
        return request(
                ENTERPRISE_KEY,
                "negative_prompt",
                "blurry",
                "num_inference_steps",
                "21",
                "guidance_scale",
                7.5,
                "seed",
                12,
                "webhook",
                null,
                "track_id",
                "t-1");
    }

    private static BufferedImage scaled(BufferedImage source, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    private void assertError(Answer answer, String mentioning) {
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("status").asText()).isEqualTo("error");
        assertThat(answer.json().get("message").asText()).contains(mentioning);
    }

    /** A generation body: the required fields, then {@code extra} name/value pairs (which may override them). */
    private Map<String, Object> request(String key, Object... extra) {
        Map<String, Object> body = new HashMap<>(
                Map.of("key", key, "prompt", "an astronaut portrait", "face_image", visageUrl("/face.jpg")));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    private Map<String, Object> makeGen() {
        return request(
                FACE_GEN_KEY, "safety_checker", false, "safety_checker_type", "blur", "s_scale", 1.0, "seed", 1234);
    }

    private String visageUrl(String path) {
        return "http://127.0.0.1:" + visage.getAddress().getPort() + path;
    }

    private String hookUrl(String visageJobId) {
        return visageUrl("/hooks/" + visageJobId);
    }

    private Answer post(String path, Map<String, Object> body) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(modelsLab.baseUrl().resolve(path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private JsonNode fetch(String path, String key) {
        try {
            return post(path, Map.of("key", key)).json();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Waits for what the emulator does on its own threads; generous, since a loaded CI machine is slow. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(25);
        }
    }
}
