package app.visage.emulators.fashn;

import app.visage.emulators.EmulatorServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FASHN's face-to-model API (research/providers.md §2, the face-to-model page in shared/seeds, FASHN's API
 * fundamentals and error pages): {@code POST /v1/run} starts a prediction, {@code GET /v1/status/{id}} reports
 * it, and when it ends the same status payload is POSTed to the {@code webhook_url} query parameter, retried up
 * to 5 times on a non-2xx answer. Requests are held to what the documents allow: where the older page and the
 * newer SDK schema disagree (aspect ratios, newer inputs), only what both allow is taken. Outputs are served
 * from the CDN's host, not the API's.
 */
public final class FashnEmulator extends EmulatorServer {
    private static final Duration DEFAULT_PROCESSING_TIME = Duration.ofSeconds(1);
    private static final int DEFAULT_CONCURRENCY_LIMIT = 6;
    private static final Duration DEFAULT_WEBHOOK_RETRY_DELAY = Duration.ofMillis(200);
    private static final int WEBHOOK_RETRIES = 5;
    private static final String STATUS_PREFIX = "/v1/status/";
    /** Width × height per aspect ratio: the picture is extended downward from 512 wide (9:16 is 432 wide). */
    private static final Map<String, int[]> SIZES = Map.of(
            "1:1",
            new int[] {512, 512},
            "4:5",
            new int[] {512, 640},
            "3:4",
            new int[] {512, 683},
            "2:3",
            new int[] {512, 768},
            "9:16",
            new int[] {432, 768});

    private final String apiKey;
    private final Queue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final List<Prediction> predictions = new CopyOnWriteArrayList<>();
    private final AtomicInteger failingStatusCalls = new AtomicInteger();
    private final AtomicInteger garbledStatusCalls = new AtomicInteger();
    private volatile int failingStatus;
    private volatile Duration processingTime = DEFAULT_PROCESSING_TIME;
    private volatile int concurrencyLimit = DEFAULT_CONCURRENCY_LIMIT;
    private volatile Duration webhookRetryDelay = DEFAULT_WEBHOOK_RETRY_DELAY;

    public FashnEmulator(String apiKey) {
        this.apiKey = apiKey;
    }

    /** Queues what a later authorised {@code /v1/run} call does, first in first out; unscripted calls are normal. */
    public void nextRun(Script script) {
        scripts.add(script);
    }

    /**
     * The next {@code n} authorised {@code /v1/run} calls create predictions that end {@code failed} with
     * {@code error.name} {@code name} (e.g. PipelineError); the run after them completes as usual.
     */
    public void failNextRuns(int n, String name) {
        for (int i = 0; i < n; i++) {
            nextRun(Script.failWith(name, "scripted " + name));
        }
    }

    /** The next {@code n} authorised status calls answer {@code status} with an error body instead. */
    public void failNextStatusCalls(int n, int status) {
        failingStatus = status;
        failingStatusCalls.set(n);
    }

    /** The next {@code n} authorised status calls answer HTTP 200 with their body cut off (see {@link #respondGarbled}). */
    public void garbleNextStatusCalls(int n) {
        garbledStatusCalls.set(n);
    }

    /** Predictions created for {@code visageJobId} (its id is in the webhook URL): what the account is charged for. */
    public long predictionsFor(String visageJobId) {
        return predictions.stream()
                .filter(p -> p.webhookUrl != null && p.webhookUrl.contains(visageJobId))
                .count();
    }

    /** The ids of the predictions created for {@code visageJobId}, in the order they were created. */
    public List<String> predictionIdsFor(String visageJobId) {
        return predictions.stream()
                .filter(p -> p.webhookUrl != null && p.webhookUrl.contains(visageJobId))
                .map(p -> p.id)
                .toList();
    }

    /** How long a prediction takes from {@code starting} to its end (applies to predictions created from now on). */
    public void processingTime(Duration time) {
        processingTime = time;
    }

    /** How many unfinished predictions an account may have (FASHN's figure is 6, from a third-party source). */
    public void concurrencyLimit(int limit) {
        concurrencyLimit = limit;
    }

    /** The pause before each webhook retry (FASHN spreads its 5 retries over about 5 minutes). */
    public void webhookRetryDelay(Duration delay) {
        webhookRetryDelay = delay;
    }

    /** Restores the default settings and drops queued scripts; predictions and their outputs stay. */
    @Override
    public void resetScripts() {
        scripts.clear();
        failingStatusCalls.set(0);
        garbledStatusCalls.set(0);
        processingTime = DEFAULT_PROCESSING_TIME;
        concurrencyLimit = DEFAULT_CONCURRENCY_LIMIT;
        webhookRetryDelay = DEFAULT_WEBHOOK_RETRY_DELAY;
    }

    public List<Recorded> runCalls() {
        return requests("/v1/run");
    }

    public List<Recorded> statusCalls() {
        return requests(STATUS_PREFIX);
    }

    /**
     * The output images (base64 ones decoded) of the latest prediction whose {@code webhook_url} contains
     * {@code visageJobId}; empty while it runs or when it failed.
     */
    public List<byte[]> outputsFor(String visageJobId) {
        return predictions.reversed().stream()
                .filter(p -> p.webhookUrl != null && p.webhookUrl.contains(visageJobId))
                .findFirst()
                .map(p -> p.outputs)
                .orElse(List.of());
    }

    @Override
    protected void handle(Recorded request, HttpExchange exchange) throws IOException {
        boolean run = request.method().equals("POST") && request.path().equals("/v1/run");
        boolean status = request.method().equals("GET") && request.path().startsWith(STATUS_PREFIX);
        if (!run && !status) {
            respond(exchange, 404, error("NotFound", "no route " + request.method() + " " + request.path()));
        } else if (!("Bearer " + apiKey).equals(request.header("Authorization"))) {
            respond(exchange, 401, error("UnauthorizedAccess", "Unauthorized: Invalid token"));
        } else if (run && !isJson(request.header("Content-Type"))) {
            respond(exchange, 400, error("BadRequest", "Content-Type must be application/json"));
        } else if (run) {
            run(request, exchange);
        } else {
            status(request.path().substring(STATUS_PREFIX.length()), exchange);
        }
    }

    private void run(Recorded request, HttpExchange exchange) throws IOException {
        Script script = Objects.requireNonNullElse(scripts.poll(), Script.normal());
        if (script.rejection != null) {
            respond(exchange, script.rejection.status(), error(script.rejection.error(), script.rejection.message()));
            return;
        }
        Prediction prediction;
        try {
            prediction = new Prediction(webhookUrl(request), Inputs.parse(request.body()), script, processingTime);
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, error("BadRequest", e.getMessage()));
            return;
        }
        boolean admitted;
        synchronized (predictions) {
            admitted = predictions.stream().filter(p -> p.end == null).count() < concurrencyLimit;
            if (admitted) {
                predictions.add(prediction);
            }
        }
        if (!admitted) {
            respond(
                    exchange,
                    429,
                    error(
                            "ConcurrencyLimitExceeded",
                            "Concurrency limit of " + concurrencyLimit + " running predictions reached"));
            return;
        }
        if (script.webhook == Webhook.BEFORE_RESPONSE) {
            finish(prediction);
        } else {
            scheduler.schedule(() -> finish(prediction), prediction.duration.toMillis(), TimeUnit.MILLISECONDS);
            pause(script.delay);
        }
        ObjectNode accepted = JSON.createObjectNode().put("id", prediction.id).putNull("error");
        if (script.garbled) {
            respondGarbled(exchange, 200, accepted);
        } else {
            respond(exchange, 200, accepted);
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).matches("application/json\\s*(;.*)?");
    }

    private static String webhookUrl(Recorded request) {
        String url = request.queryParam("webhook_url");
        if (url != null && !url.matches("https?://[^/?#]+.*")) {
            throw new IllegalArgumentException("webhook_url must be an http(s) URL");
        }
        return url;
    }

    private void status(String id, HttpExchange exchange) throws IOException {
        if (failingStatusCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respond(
                    exchange,
                    failingStatus,
                    error(
                            errorName(failingStatus),
                            failingStatus == 404
                                    ? "prediction status is no longer tracked"
                                    : "scripted status failure"));
            return;
        }
        Prediction prediction =
                predictions.stream().filter(p -> p.id.equals(id)).findFirst().orElse(null);
        if (prediction == null) {
            respond(exchange, 404, error("NotFound", "prediction status is no longer tracked"));
            return;
        }
        ObjectNode payload = prediction.payload();
        if (payload.path("status").asText().equals("completed")) {
            exchange.getResponseHeaders().set("x-fashn-credits-used", "1");
        }
        if (garbledStatusCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respondGarbled(exchange, 200, payload);
        } else {
            respond(exchange, 200, payload);
        }
    }

    /** Runs the model (a plain rendering of the face) and reports the end, by webhook too when one was asked for. */
    private void finish(Prediction prediction) {
        ObjectNode end;
        try {
            end = prediction.script.failure != null
                    ? prediction.failed(prediction.script.failure)
                    : prediction.script.output != Output.IMAGE
                            ? prediction.completedWithout(prediction.script.output)
                            : prediction.complete();
        } catch (RuntimeException e) {
            end = prediction.failed(new Failure("PipelineError", String.valueOf(e)));
        }
        prediction.end = end;
        if (prediction.webhookUrl == null || prediction.script.webhook == Webhook.DROP) {
            return;
        }
        deliver(prediction.webhookUrl, end, 0);
        if (prediction.script.webhook == Webhook.DUPLICATE) {
            deliver(prediction.webhookUrl, end, 0);
        }
    }

    private void deliver(String url, ObjectNode payload, int retries) {
        int status = sendWebhook(url, payload);
        if ((status < 200 || status > 299) && retries < WEBHOOK_RETRIES) {
            scheduler.schedule(
                    () -> deliver(url, payload, retries + 1), webhookRetryDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The face as the pipeline loads it; null when it can't be fetched, decoded or read as an image. */
    private byte[] load(String faceImage) {
        try {
            byte[] bytes = faceImage.startsWith("data:")
                    ? Base64.getDecoder().decode(faceImage.substring(faceImage.indexOf(',') + 1))
                    : download(faceImage);
            return decodes(bytes) ? bytes : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static ObjectNode error(String name, String message) {
        return JSON.createObjectNode().put("error", name).put("message", message);
    }

    private static String errorName(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "UnauthorizedAccess";
            case 404 -> "NotFound";
            case 429 -> "RateLimitExceeded";
            default -> "InternalServerError";
        };
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Prediction {
        final String id = randomName();
        final long startedNanos = System.nanoTime();
        final String webhookUrl;
        final Inputs inputs;
        final Script script;
        final Duration duration;
        /** The final status payload; null while running. */
        volatile ObjectNode end;

        volatile List<byte[]> outputs = List.of();

        Prediction(String webhookUrl, Inputs inputs, Script script, Duration duration) {
            this.webhookUrl = webhookUrl;
            this.inputs = inputs;
            this.script = script;
            this.duration = duration;
        }

        /** While running, the status steps through the documented phases in equal thirds of the processing time. */
        ObjectNode payload() {
            ObjectNode done = end;
            if (done != null) {
                return done;
            }
            double progress = (System.nanoTime() - startedNanos) / (double) Math.max(1, duration.toNanos());
            return payload(progress < 1 / 3.0 ? "starting" : progress < 2 / 3.0 ? "in_queue" : "processing");
        }

        ObjectNode complete() {
            byte[] face = load(inputs.faceImage());
            if (face == null) {
                return failed(new Failure("ImageLoadError", "Unable to load the face image from the provided inputs"));
            }
            byte[] image;
            try {
                image = render(face, inputs.width(), inputs.height(), inputs.format());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // With return_base64 the output is never stored, so nothing is published; the face-to-model page gives
            // the prefix as data:image/png whatever the format (the try-on pages derive it from output_format).
            String output = inputs.base64()
                    ? "data:image/png;base64," + Base64.getEncoder().encodeToString(image)
                    : publishOnCdn("/cdn/" + randomName() + (inputs.format().equals("png") ? ".png" : ".jpg"), image);
            outputs = List.of(image);
            ObjectNode payload = payload("completed");
            payload.putArray("output").add(output);
            return payload;
        }

        /** {@code completed} with {@code output: []} or {@code output: null}: nothing to hand back. */
        ObjectNode completedWithout(Output output) {
            ObjectNode payload = payload("completed");
            if (output == Output.EMPTY) {
                payload.putArray("output");
            }
            return payload;
        }

        /** {@code failed} with {@code error{name,message}}, or with no error object when {@code failure} is null. */
        ObjectNode failed(Failure failure) {
            ObjectNode payload = payload("failed");
            if (failure != NO_ERROR) {
                payload.putObject("error").put("name", failure.name()).put("message", failure.message());
            }
            return payload;
        }

        private ObjectNode payload(String status) {
            ObjectNode payload = JSON.createObjectNode().put("id", id).put("status", status);
            payload.putNull("output");
            payload.putNull("error");
            return payload;
        }
    }

    /** The face-to-model inputs, checked as FASHN documents them. */
    private record Inputs(String faceImage, int width, int height, String format, boolean base64) {

        /** The inputs face-to-model takes: the older page's list, which the newer schema also has. */
        private static final Set<String> KNOWN =
                Set.of("face_image", "prompt", "aspect_ratio", "seed", "output_format", "return_base64");

        static Inputs parse(byte[] body) {
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("request body is not valid JSON");
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("request body must be a JSON object");
            }
            if (root.has("webhook_url")) {
                throw new IllegalArgumentException("webhook_url is a query parameter, not a body property");
            }
            root.fieldNames().forEachRemaining(name -> {
                if (!name.equals("model_name") && !name.equals("inputs")) {
                    throw new IllegalArgumentException("unknown property " + name);
                }
            });
            if (!root.path("model_name").isTextual()
                    || !root.path("model_name").asText().equals("face-to-model")) {
                throw new IllegalArgumentException("model_name must be 'face-to-model'");
            }
            JsonNode inputs = root.path("inputs");
            if (!inputs.isObject()) {
                throw new IllegalArgumentException("inputs is required");
            }
            inputs.fieldNames().forEachRemaining(name -> {
                if (!KNOWN.contains(name)) {
                    throw new IllegalArgumentException("inputs." + name + " is not a face-to-model input");
                }
            });
            String face = text(inputs, "face_image", null);
            if (face == null || !face.matches("(?s)(https?://[^/?#\\s]+|data:image/[\\w.+-]+;base64,).+")) {
                throw new IllegalArgumentException("face_image must be an image URL or a data:image/...;base64, URI");
            }
            text(inputs, "prompt", "");
            int[] size = SIZES.get(text(inputs, "aspect_ratio", "2:3"));
            if (size == null) {
                throw new IllegalArgumentException("aspect_ratio must be one of 1:1, 4:5, 3:4, 2:3, 9:16");
            }
            JsonNode seed = inputs.get("seed");
            if (seed != null
                    && !(seed.isIntegralNumber()
                            && seed.canConvertToLong()
                            && seed.asLong() >= 0
                            && seed.asLong() <= 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("seed must be an integer from 0 to 4294967295");
            }
            String format = text(inputs, "output_format", "jpeg");
            if (!format.equals("png") && !format.equals("jpeg")) {
                throw new IllegalArgumentException("output_format must be 'png' or 'jpeg'");
            }
            JsonNode base64 = inputs.get("return_base64");
            if (base64 != null && !base64.isBoolean()) {
                throw new IllegalArgumentException("return_base64 must be a boolean");
            }
            return new Inputs(face, size[0], size[1], format, base64 != null && base64.asBoolean());
        }

        /** A string input, or {@code fallback} when absent; null is not a string, so it is refused. */
        private static String text(JsonNode inputs, String name, String fallback) {
            JsonNode node = inputs.get(name);
            if (node == null) {
                return fallback;
            }
            if (!node.isTextual()) {
                throw new IllegalArgumentException(name + " must be a string");
            }
            return node.asText();
        }
    }

    private record Rejection(int status, String error, String message) {}

    private record Failure(String name, String message) {}

    /** A failure that comes with no error object. */
    private static final Failure NO_ERROR = new Failure("", "");

    /** What a prediction that does not fail completes with. */
    private enum Output {
        IMAGE,
        EMPTY,
        NULL
    }

    private enum Webhook {
        SEND,
        DROP,
        DUPLICATE,
        BEFORE_RESPONSE
    }

    /** What one {@code /v1/run} call does. */
    public static final class Script {
        private final Rejection rejection;
        private final Duration delay;
        private final Failure failure;
        private final Webhook webhook;
        private final boolean garbled;
        private final Output output;

        private Script(Rejection rejection, Duration delay, Failure failure, Webhook webhook) {
            this(rejection, delay, failure, webhook, false, Output.IMAGE);
        }

        private Script(
                Rejection rejection, Duration delay, Failure failure, Webhook webhook, boolean garbled, Output output) {
            this.rejection = rejection;
            this.delay = delay;
            this.failure = failure;
            this.webhook = webhook;
            this.garbled = garbled;
            this.output = output;
        }

        /** Accepted, completes after the processing time, webhook sent. */
        public static Script normal() {
            return new Script(null, Duration.ZERO, null, Webhook.SEND);
        }

        /** 429 RateLimitExceeded; no prediction is created. */
        public static Script rateLimited() {
            return rejected(429, "RateLimitExceeded", "Rate limit exceeded, please slow down");
        }

        /** 429 ConcurrencyLimitExceeded whatever the number of running predictions; none is created. */
        public static Script concurrencyLimited() {
            return rejected(429, "ConcurrencyLimitExceeded", "Concurrency limit reached, wait for a prediction to end");
        }

        /** 429 OutOfCredits; no prediction is created. */
        public static Script outOfCredits() {
            return rejected(429, "OutOfCredits", "Your account has run out of API credits");
        }

        /** 500 InternalServerError; no prediction is created. */
        public static Script serverError() {
            return rejected(500, "InternalServerError", "An unexpected error occurred");
        }

        /** The prediction is created and starts at once, but the answer comes {@code delay} later (a client timeout). */
        public static Script slow(Duration delay) {
            return new Script(null, delay, null, Webhook.SEND);
        }

        /** Accepted, then ends {@code failed} with {@code error{name,message}} (e.g. ContentModerationError). */
        public static Script failWith(String name, String message) {
            return new Script(null, Duration.ZERO, new Failure(name, message), Webhook.SEND);
        }

        /** Accepted, then ends {@code failed} with {@code error: null}: no error object at all. */
        public static Script failWithoutError() {
            return new Script(null, Duration.ZERO, NO_ERROR, Webhook.SEND);
        }

        /** Accepted, then ends {@code completed} with {@code output: []}. */
        public static Script completeWithEmptyOutput() {
            return new Script(null, Duration.ZERO, null, Webhook.SEND, false, Output.EMPTY);
        }

        /** Accepted, then ends {@code completed} with {@code output: null}. */
        public static Script completeWithNullOutput() {
            return new Script(null, Duration.ZERO, null, Webhook.SEND, false, Output.NULL);
        }

        /** Completes normally but never sends its webhook. */
        public static Script dropWebhook() {
            return new Script(null, Duration.ZERO, null, Webhook.DROP);
        }

        /** Completes normally and sends its webhook twice. */
        public static Script duplicateWebhook() {
            return new Script(null, Duration.ZERO, null, Webhook.DUPLICATE);
        }

        /**
         * The prediction is created and runs as usual (webhook included), but the answer's body arrives cut
         * off: the caller can't read the prediction id (see {@link #respondGarbled}).
         */
        public static Script garbledAnswer() {
            return new Script(null, Duration.ZERO, null, Webhook.SEND, true, Output.IMAGE);
        }

        /** Completes at once and delivers its webhook before the {@code /v1/run} answer is written. */
        public static Script webhookBeforeResponse() {
            return new Script(null, Duration.ZERO, null, Webhook.BEFORE_RESPONSE);
        }

        private static Script rejected(int status, String error, String message) {
            return new Script(new Rejection(status, error, message), Duration.ZERO, null, Webhook.SEND);
        }
    }
}
