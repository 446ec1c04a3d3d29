package app.visage.emulators.modelslab;

import app.visage.emulators.EmulatorServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;

/**
 * The three ModelsLab servers Visage may use (v6 shared image_editing, enterprise image_editing,
 * enterprise face_gen), each with its own key, following the documented contract including its
 * inconsistencies: errors as HTTP 200 bodies, {@code output} a string while a fetch is processing,
 * string ids in webhooks, the legacy {@code messege} field, best-effort webhooks. Requests are held to each
 * endpoint's schema and page, never more leniently (docs/providers/modelslab.md); outputs are served from
 * its CDN host, not its API host.
 */
public final class ModelsLabEmulator extends EmulatorServer {
    private static final String TIP = "Your image is processing in background, you can get this image using fetch API";
    private static final Set<String> STYLES = Set.of("comic", "chibi", "3d", "anime", "realistic");
    private static final Set<String> SAFETY_TYPES = Set.of("black", "blur", "sensitive_content_text", "pixelate");
    private static final Set<Integer> STEPS = Set.of(21, 31, 41);
    private static final Set<String> STRING_NUMBERS = Set.of("width", "height", "samples", "num_inference_steps");
    private static final int MAX_WIDTH = 512;
    private static final int MAX_HEIGHT = 768;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NO_CREDITS = "Insufficient credits. Please add more credits to continue.";

    private enum Api {
        V6("/api/v6/image_editing/", Set.of("head_shot", "face_gen")),
        ENTERPRISE_IMAGE_EDITING("/api/v1/enterprise/image_editing/", Set.of("face_gen", "head_shot")),
        ENTERPRISE_FACE_GEN("/api/v1/enterprise/face_gen/", Set.of("make_gen"));

        final String prefix;
        final Set<String> generators;

        Api(String prefix, Set<String> generators) {
            this.prefix = prefix;
            this.generators = generators;
        }

        String operation(String path) {
            return path.startsWith(prefix) ? path.substring(prefix.length()) : null;
        }
    }

    private enum State {
        PROCESSING,
        SUCCESS,
        FAILED
    }

    private sealed interface Route {
        Api api();

        record Generate(Api api, String operation) implements Route {}

        record Fetch(Api api, String id) implements Route {}
    }

    private final Map<Api, String> keys;
    private final Map<Integer, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(81000);
    private final Queue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failingFetches = new AtomicInteger();
    private final AtomicInteger garbledFetches = new AtomicInteger();
    private volatile int failingFetchStatus;
    private volatile Duration processingTime;
    private volatile int retryAfterSeconds;
    private volatile int queueLimit;
    private final AtomicReference<List<byte[]>> servedOutputs = new AtomicReference<>();

    public ModelsLabEmulator(String apiKey, String enterpriseKey, String faceGenKey) {
        keys = Map.of(Api.V6, apiKey, Api.ENTERPRISE_IMAGE_EDITING, enterpriseKey, Api.ENTERPRISE_FACE_GEN, faceGenKey);
        resetScripts();
    }

    /** What the next generation call (on any of the three servers) does; calls without a script behave normally. */
    public void nextSubmit(Script script) {
        scripts.add(Objects.requireNonNull(script));
    }

    /** The next {@code n} authorised fetch calls answer {@code status} with a server error body. */
    public void failNextFetches(int n, int status) {
        failingFetchStatus = status;
        failingFetches.set(n);
    }

    /** The next {@code n} authorised fetch calls answer HTTP 200 with their body cut off (see {@link #respondGarbled}). */
    public void garbleNextFetches(int n) {
        garbledFetches.set(n);
    }

    /**
     * Jobs created for {@code visageJobId} (Visage puts its job id in the webhook URL): calls refused with
     * a 429, a 5xx or an error body created none, and a job is what the account is charged for.
     */
    public long jobsCreatedFor(String visageJobId) {
        return jobs.values().stream()
                .filter(j -> j.webhook != null && j.webhook.contains(visageJobId))
                .count();
    }

    /**
     * The next job that succeeds serves these images as its outputs (one per sample, in order) instead of
     * renderings of the face: whatever a provider's pipeline may leave in its files.
     */
    public void serveNextOutputs(List<byte[]> images) {
        servedOutputs.set(List.copyOf(images));
    }

    public void processingTime(Duration time) {
        processingTime = time;
    }

    public void retryAfterSeconds(int seconds) {
        retryAfterSeconds = seconds;
    }

    /** Jobs one key may have processing at once (the account's queued-request limit). */
    public void queueLimit(int limit) {
        queueLimit = limit;
    }

    @Override
    protected void resetScripts() {
        scripts.clear();
        failingFetches.set(0);
        garbledFetches.set(0);
        servedOutputs.set(null);
        processingTime = Duration.ofSeconds(1);
        retryAfterSeconds = 30;
        queueLimit = 5;
    }

    public List<Recorded> generationCalls() {
        return requests().stream()
                .filter(r -> route(r.path()) instanceof Route.Generate)
                .toList();
    }

    public List<Recorded> fetchCalls() {
        return requests().stream()
                .filter(r -> route(r.path()) instanceof Route.Fetch)
                .toList();
    }

    /**
     * The output images of the latest job whose webhook URL contains {@code visageJobId} (Visage puts
     * its job id in the webhook path); empty while that job has not succeeded.
     */
    public List<byte[]> outputsFor(String visageJobId) {
        return jobs.values().stream()
                .filter(j -> j.webhook != null && j.webhook.contains(visageJobId))
                .max(Comparator.comparingInt(j -> j.id))
                .filter(j -> j.state == State.SUCCESS)
                .map(j -> j.images)
                .orElse(List.of());
    }

    /** Jobs processing for {@code key}: what counts against its queue limit. */
    public int inFlight(String key) {
        return (int) jobs.values().stream()
                .filter(j -> j.key.equals(key) && j.state == State.PROCESSING)
                .count();
    }

    @Override
    protected void handle(Recorded request, HttpExchange exchange) throws IOException {
        Route route = request.method().equals("POST") ? route(request.path()) : null;
        if (route == null) {
            respond(exchange, 404, error("not found"));
            return;
        }
        JsonNode body = jsonObject(request);
        if (!keys.get(route.api()).equals(body.path("key").asText(null))) {
            respond(exchange, 401, error("Invalid API key"));
            return;
        }
        switch (route) {
            case Route.Generate g -> generate(g, body, exchange);
            case Route.Fetch f -> fetch(f, exchange);
        }
    }

    private static Route route(String path) {
        for (Api api : Api.values()) {
            String operation = api.operation(path);
            if (operation == null) {
                continue;
            }
            if (api.generators.contains(operation)) {
                return new Route.Generate(api, operation);
            }
            if (operation.startsWith("fetch/")) {
                return new Route.Fetch(api, operation.substring("fetch/".length()));
            }
        }
        return null;
    }

    private void generate(Route.Generate route, JsonNode body, HttpExchange exchange) throws IOException {
        Script script = Objects.requireNonNullElse(scripts.poll(), Script.normal());
        switch (script.kind) {
            case RATE_LIMITED -> {
                respond(exchange, 429, rateLimited());
                return;
            }
            case SERVER_ERROR -> {
                respond(exchange, script.status, error("Server error"));
                return;
            }
            case ERROR_BODY -> {
                respond(exchange, 200, error(script.message));
                return;
            }
            case LEGACY_ERROR_BODY -> {
                respond(exchange, 200, Map.of("status", "error", "messege", script.message));
                return;
            }
            case NO_CREDITS -> {
                respond(exchange, 402, error(NO_CREDITS));
                return;
            }
            case SLOW -> sleep(script.delay);
            default -> {}
        }
        Job job;
        try {
            job = accept(route, body);
        } catch (Invalid e) {
            respond(exchange, 200, error(e.getMessage()));
            return;
        }
        if (job == null) {
            respond(exchange, 429, rateLimited());
            return;
        }
        switch (script.kind) {
            case SUCCEED_AT_ONCE -> {
                succeed(job);
                respond(exchange, 200, successResponse(job));
                notify(job, script);
            }
            case OUTPUTS_LATE -> {
                succeed(job, script.delay, false);
                respond(exchange, 200, successResponse(job));
                notify(job, script);
            }
            case NSFW -> {
                succeed(job, Duration.ZERO, true);
                Map<String, Object> answer = successResponse(job);
                answer.put("nsfw_content_detected", true);
                respond(exchange, 200, answer);
                notify(job, script);
            }
            case EMPTY_SUCCESS -> {
                scheduler.schedule(() -> finish(job, script), processingTime.toMillis(), TimeUnit.MILLISECONDS);
                Map<String, Object> answer = successResponse(job);
                answer.put("output", List.of());
                respond(exchange, 200, answer);
            }
            case WEBHOOK_BEFORE_RESPONSE -> {
                succeed(job);
                notify(job, script);
                respond(exchange, 200, processingResponse(job));
            }
            case GARBLED_ANSWER -> {
                scheduler.schedule(() -> finish(job, script), processingTime.toMillis(), TimeUnit.MILLISECONDS);
                respondGarbled(exchange, 200, processingResponse(job));
            }
            default -> {
                scheduler.schedule(() -> finish(job, script), processingTime.toMillis(), TimeUnit.MILLISECONDS);
                respond(exchange, 200, processingResponse(job));
                if (script.kind == Kind.EARLY_WEBHOOK && job.webhook != null) {
                    sendWebhook(job.webhook, successWebhook(job)); // its output URLs are not published yet
                }
            }
        }
    }

    /**
     * Validates the request against its endpoint's schema and page (see {@link #checkFields}) and creates its job;
     * null when the key's queue is full.
     */
    private Job accept(Route.Generate route, JsonNode body) throws Invalid {
        checkFields(route, body);
        Integer width = integer(body, "width");
        Integer height = integer(body, "height");
        Integer samples = integer(body, "samples");
        byte[] face =
                loadFace(body.path("face_image").asText(""), body.path("base64").asBoolean(false));
        BufferedImage faceSize = decode(face);
        // The enterprise head_shot page takes no size: rendered at the pages' example size. Elsewhere, without a
        // size the face photo's own is used (v6 OpenAPI), but the limits still hold: a server held to its
        // documents has no size past 512 x 768 to make.
        boolean sized = !(route.api() == Api.ENTERPRISE_IMAGE_EDITING
                && route.operation().equals("head_shot"));
        int w = !sized ? 512 : width != null ? width : faceSize.getWidth();
        int h = !sized ? 512 : height != null ? height : faceSize.getHeight();
        if (w > MAX_WIDTH || h > MAX_HEIGHT) {
            throw new Invalid(
                    "The face_image's size " + w + "x" + h + " is past the maximum 512 x 768: set width and height.");
        }
        int n = samples != null ? samples : 1;
        if (route.api() == Api.ENTERPRISE_IMAGE_EDITING && w * h >= MAX_WIDTH * MAX_HEIGHT) {
            n = 1; // "For resolutions such as 512x768, one sample will be generated."
        }
        String key = keys.get(route.api());
        synchronized (this) {
            if (inFlight(key) >= queueLimit) {
                return null;
            }
            Job job = new Job(nextId.getAndIncrement(), route, key, body, face, w, h, n, processingTime);
            jobs.put(job.id, job);
            return job;
        }
    }

    /**
     * Types, ranges and required fields per endpoint: the v6 OpenAPI ({@code image-editing/openapi.json}) for
     * {@code head_shot} and {@code face_gen}; the enterprise pages, which mark every field they list required
     * ({@code enterprise-api/image-editing/face-gen.mdx}, {@code head-shot.mdx}); the face_gen server's page for
     * {@code make_gen}. Where they disagree only what both allow passes: numbers as strings only in the fields the
     * examples send them so; {@code webhook} and {@code track_id} may be null as every example sends them.
     */
    private static void checkFields(Route.Generate route, JsonNode body) throws Invalid {
        Api api = route.api();
        String op = route.operation();
        boolean enterpriseFaceGen = api == Api.ENTERPRISE_IMAGE_EDITING && op.equals("face_gen");
        boolean enterpriseHeadShot = api == Api.ENTERPRISE_IMAGE_EDITING && op.equals("head_shot");
        boolean makeGen = api == Api.ENTERPRISE_FACE_GEN;
        string(body, "prompt", true);
        string(body, "face_image", true);
        string(body, "negative_prompt", enterpriseHeadShot);
        if (!enterpriseHeadShot) {
            range(integer(body, "width", enterpriseFaceGen), "width", 1, MAX_WIDTH);
            range(integer(body, "height", enterpriseFaceGen), "height", 1, MAX_HEIGHT);
            range(integer(body, "samples", enterpriseFaceGen), "samples", 1, 2);
            range(number(body, "s_scale", enterpriseFaceGen || makeGen), "s_scale", 0, 2);
            bool(body, "safety_checker", enterpriseFaceGen || makeGen);
            choice(body, "safety_checker_type", SAFETY_TYPES, enterpriseFaceGen || makeGen);
            bool(body, "base64", enterpriseFaceGen);
        }
        Integer steps = integer(body, "num_inference_steps", enterpriseFaceGen || enterpriseHeadShot);
        if (steps != null && !STEPS.contains(steps)) {
            throw new Invalid("The num_inference_steps must be one of 21, 31, 41.");
        }
        boolean guidanceRequired = enterpriseFaceGen || enterpriseHeadShot;
        if (api == Api.V6 && op.equals("head_shot")) {
            // HeadShotRequest: integer 1-5 (the page's example sends 7.5, which the schema refuses)
            JsonNode g = body.get("guidance_scale");
            if (g != null && !g.isNull() && !g.isIntegralNumber()) {
                throw new Invalid("The guidance_scale must be an integer.");
            }
            range(number(body, "guidance_scale", false), "guidance_scale", 1, 5);
        } else if (api == Api.V6) {
            range(number(body, "guidance_scale", false), "guidance_scale", 1, 20);
        } else {
            number(body, "guidance_scale", guidanceRequired);
        }
        if (op.equals("face_gen") && api != Api.ENTERPRISE_FACE_GEN) {
            choice(body, "style", STYLES, enterpriseFaceGen);
        }
        JsonNode seed = body.get("seed");
        if ((enterpriseHeadShot || makeGen) && (seed == null || seed.isNull())) {
            throw new Invalid("The seed field is required.");
        }
        if (seed != null && !seed.isNull() && !(seed.isIntegralNumber() && seed.asLong() >= 0)) {
            throw new Invalid("The seed must be an integer.");
        }
        boolean hookRequired = enterpriseFaceGen || enterpriseHeadShot;
        JsonNode webhook = body.get("webhook");
        if (webhook == null && hookRequired) {
            throw new Invalid("The webhook field is required.");
        }
        if (webhook != null && !webhook.isNull() && !isHttpUri(webhook)) {
            throw new Invalid("The webhook must be a valid URL.");
        }
        JsonNode trackId = body.get("track_id");
        if (trackId == null && hookRequired) {
            throw new Invalid("The track_id field is required.");
        }
        if (trackId != null && !trackId.isNull()) {
            if (api == Api.V6 && !trackId.isIntegralNumber()) {
                throw new Invalid("The track_id must be an integer.");
            }
            if (api != Api.V6 && !trackId.isTextual()) {
                throw new Invalid("The track_id must be a string.");
            }
        }
    }

    private static boolean isHttpUri(JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        try {
            URI uri = new URI(value.asText());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void string(JsonNode body, String field, boolean required) throws Invalid {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || node.isTextual() && node.asText().isBlank()) {
            if (required) {
                throw new Invalid("The " + field + " field is required.");
            }
            return;
        }
        if (!node.isTextual()) {
            throw new Invalid("The " + field + " must be a string.");
        }
    }

    private static void bool(JsonNode body, String field, boolean required) throws Invalid {
        JsonNode node = present(body, field, required);
        if (node != null && !node.isBoolean()) {
            throw new Invalid("The " + field + " field must be true or false.");
        }
    }

    private static void choice(JsonNode body, String field, Set<String> choices, boolean required) throws Invalid {
        JsonNode node = present(body, field, required);
        if (node != null && !(node.isTextual() && choices.contains(node.asText()))) {
            throw new Invalid("The " + field + " must be one of " + String.join(", ", new TreeSet<>(choices)) + ".");
        }
    }

    private static JsonNode present(JsonNode body, String field, boolean required) throws Invalid {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new Invalid("The " + field + " field is required.");
            }
            return null;
        }
        return node;
    }

    private static void range(Number value, String field, int min, int max) throws Invalid {
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
            throw new Invalid("The " + field + " must be between " + min + " and " + max + ".");
        }
    }

    private byte[] loadFace(String faceImage, boolean base64) throws Invalid {
        if (faceImage.startsWith("data:image/") && faceImage.contains(";base64,")) {
            if (!base64) {
                throw new Invalid("face_image is base64 data: set base64 to true.");
            }
            try {
                return Base64.getMimeDecoder().decode(faceImage.substring(faceImage.indexOf(";base64,") + 8));
            } catch (IllegalArgumentException e) {
                throw new Invalid("unable to load face_image");
            }
        }
        try {
            String scheme = URI.create(faceImage).getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new Invalid("unable to load face_image");
            }
            return download(faceImage);
        } catch (IllegalArgumentException | IOException e) {
            throw new Invalid("unable to load face_image");
        }
    }

    private static BufferedImage decode(byte[] face) throws Invalid {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(face));
            if (image != null) {
                return image;
            }
        } catch (IOException e) {
            // reported below like any other unreadable face
        }
        throw new Invalid("unable to load face_image");
    }

    private void finish(Job job, Script script) {
        if (script.kind == Kind.FAIL_LATER) {
            job.failure = script.message;
            job.state = State.FAILED;
        } else {
            succeed(job);
        }
        notify(job, script);
    }

    private void succeed(Job job) {
        succeed(job, Duration.ZERO, false);
    }

    /**
     * Renders the job's outputs and puts them on the CDN after {@code publishDelay}; with {@code nsfw} the
     * content is flagged, and a checker the request turned on replaces each image (here: all black).
     */
    private void succeed(Job job, Duration publishDelay, boolean nsfw) {
        List<byte[]> images = new ArrayList<>();
        List<byte[]> served = servedOutputs.getAndSet(null);
        boolean replaced = nsfw && Boolean.TRUE.equals(job.safetyChecker);
        try {
            for (String path : job.paths) {
                byte[] image = served != null
                        ? served.get(images.size() % served.size())
                        : render(replaced ? blank(job.width, job.height) : job.face, job.width, job.height, "png");
                if (publishDelay.isZero()) {
                    publishOnCdn(path, image);
                } else {
                    scheduler.schedule(() -> publishOnCdn(path, image), publishDelay.toMillis(), TimeUnit.MILLISECONDS);
                }
                images.add(image);
            }
        } catch (IOException e) {
            job.failure = "render failed: " + e.getMessage();
            job.state = State.FAILED;
            return;
        }
        job.images = List.copyOf(images);
        job.state = State.SUCCESS;
    }

    private static byte[] blank(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", bytes);
        return bytes.toByteArray();
    }

    private void notify(Job job, Script script) {
        if (job.webhook == null || script.kind == Kind.DROP_WEBHOOK) {
            return;
        }
        Map<String, Object> payload = job.state == State.SUCCESS ? successWebhook(job) : failedWebhook(job);
        sendWebhook(job.webhook, payload);
        if (script.kind == Kind.DUPLICATE_WEBHOOK) {
            sendWebhook(job.webhook, payload);
        }
    }

    private void fetch(Route.Fetch route, HttpExchange exchange) throws IOException {
        if (failingFetches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respond(exchange, failingFetchStatus, error("Server error"));
            return;
        }
        boolean garbled = garbledFetches.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        Job job = route.id().matches("\\d{1,9}") ? jobs.get(Integer.parseInt(route.id())) : null;
        if (job == null || job.api != route.api()) {
            if (route.api() == Api.ENTERPRISE_FACE_GEN) {
                respond(exchange, 404, error("ID does not exist or is not queued"));
            } else {
                respond(exchange, 200, Map.of("status", "error", "messege", "Invalid id"));
            }
            return;
        }
        Map<String, Object> answer = switch (job.state) {
            // while processing, output is an empty string, not an array: documented
            case PROCESSING ->
                Map.of("status", "processing", "message", "Request processing", "output", "", "tip", TIP);
            case SUCCESS -> Map.of("status", "success", "id", job.id, "output", job.urls());
            case FAILED -> error(job.failure);
        };
        if (garbled) {
            respondGarbled(exchange, 200, answer);
        } else {
            respond(exchange, 200, answer);
        }
    }

    private Map<String, Object> processingResponse(Job job) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "processing");
        body.put("tip", TIP);
        body.put("eta", (job.processingTime.toMillis() + 999) / 1000);
        body.put("message", "Request processing");
        body.put("fetch_result", baseUrl() + job.api.prefix + "fetch/" + job.id);
        body.put("id", job.id);
        body.put("output", List.of());
        body.put("future_links", job.urls());
        body.put("proxy_links", job.urls());
        body.put("meta", job.meta);
        return body;
    }

    private Map<String, Object> successResponse(Job job) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "success");
        body.put("generationTime", job.generationTime());
        body.put("id", job.id);
        body.put("output", job.urls());
        body.put("proxy_links", job.urls());
        body.put("meta", job.meta);
        return body;
    }

    /** Webhooks carry the id as a string, unlike every synchronous answer: documented. */
    private Map<String, Object> successWebhook(Job job) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "success");
        body.put("id", String.valueOf(job.id));
        body.put("output", job.urls());
        body.put("generationTime", job.generationTime());
        body.put("track_id", job.trackId);
        body.put("meta", Map.of());
        return body;
    }

    /** "failed", where synchronous answers say "error": documented. */
    private static Map<String, Object> failedWebhook(Job job) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "failed");
        body.put("id", String.valueOf(job.id));
        body.put("message", job.failure);
        body.put("track_id", job.trackId);
        return body;
    }

    private Map<String, Object> rateLimited() {
        return Map.of(
                "status",
                "error",
                "retry_after",
                retryAfterSeconds,
                "message",
                "Rate limit exceeded. Maximum " + queueLimit + " queued requests allowed.");
    }

    private static Map<String, Object> error(String message) {
        return Map.of("status", "error", "message", message);
    }

    /** The request body as a JSON object; anything else counts as an empty one (so: no key). */
    private static JsonNode jsonObject(Recorded request) {
        try {
            JsonNode node = JSON.readTree(request.body());
            return node != null && node.isObject() ? node : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /**
     * A JSON number; a numeric string only in the fields every example sends as one (width, height, samples,
     * num_inference_steps), which the schemas type integer; null when absent.
     */
    private static BigDecimal number(JsonNode body, String field, boolean required) throws Invalid {
        JsonNode node = present(body, field, required);
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual() && STRING_NUMBERS.contains(field)) {
            try {
                return new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new Invalid("The " + field + " must be a number.");
    }

    private static Integer integer(JsonNode body, String field, boolean required) throws Invalid {
        BigDecimal value = number(body, field, required);
        try {
            return value == null ? null : value.intValueExact();
        } catch (ArithmeticException e) {
            throw new Invalid("The " + field + " must be an integer.");
        }
    }

    private static Integer integer(JsonNode body, String field) throws Invalid {
        return integer(body, field, false);
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final class Job {
        final int id;
        final Api api;
        final String key;
        final String webhook;
        final JsonNode trackId;
        final byte[] face;
        final int width;
        final int height;
        final Duration processingTime;
        /** Whether the request turned the safety checker on; null when it did not say. */
        final Boolean safetyChecker;
        /** Where the outputs will be served, on the CDN: known (and handed out as future_links) before they exist. */
        final List<String> paths = new ArrayList<>();

        final ObjectNode meta;
        volatile State state = State.PROCESSING;
        volatile List<byte[]> images = List.of();
        volatile String failure;

        Job(
                int id,
                Route.Generate route,
                String key,
                JsonNode body,
                byte[] face,
                int width,
                int height,
                int samples,
                Duration processingTime) {
            this.id = id;
            this.api = route.api();
            this.key = key;
            this.webhook = body.path("webhook").isTextual()
                            && !body.get("webhook").asText().isBlank()
                    ? body.get("webhook").asText()
                    : null;
            this.trackId = body.get("track_id");
            this.face = face;
            this.width = width;
            this.height = height;
            this.processingTime = processingTime;
            this.safetyChecker = body.path("safety_checker").isBoolean()
                    ? body.get("safety_checker").asBoolean()
                    : null;
            String prefix = randomName();
            for (int n = 0; n < samples; n++) {
                paths.add("/generations/" + prefix + "-" + n + ".png");
            }
            // The docs' meta echoes the request's parameters, numbers as numbers, the checker as "yes"/"no",
            // and the seed the generation used (picked by the server when the request had none).
            meta = ((ObjectNode) body.deepCopy())
                    .put("width", width)
                    .put("height", height)
                    .put("samples", samples)
                    .put("file_prefix", prefix)
                    .put("temp", "yes");
            meta.remove("key");
            if (body.path("num_inference_steps").isValueNode()
                    && !body.get("num_inference_steps").isNull()) {
                meta.put("num_inference_steps", body.get("num_inference_steps").asInt());
            }
            if (safetyChecker != null) {
                meta.put("safety_checker", safetyChecker ? "yes" : "no");
            }
            JsonNode seed = body.get("seed");
            meta.put("seed", seed != null && seed.isIntegralNumber() ? seed.asLong() : RANDOM.nextLong(1L << 32));
        }

        List<String> urls() {
            return paths.stream().map(p -> cdnUrl() + p).toList();
        }

        double generationTime() {
            return processingTime.toMillis() / 1000.0;
        }
    }

    private enum Kind {
        NORMAL,
        RATE_LIMITED,
        SERVER_ERROR,
        SLOW,
        ERROR_BODY,
        LEGACY_ERROR_BODY,
        NO_CREDITS,
        SUCCEED_AT_ONCE,
        OUTPUTS_LATE,
        NSFW,
        EMPTY_SUCCESS,
        FAIL_LATER,
        DROP_WEBHOOK,
        DUPLICATE_WEBHOOK,
        EARLY_WEBHOOK,
        WEBHOOK_BEFORE_RESPONSE,
        GARBLED_ANSWER
    }

    /** What one generation call does. */
    public static final class Script {
        private final Kind kind;
        private final int status;
        private final Duration delay;
        private final String message;

        private Script(Kind kind, int status, Duration delay, String message) {
            this.kind = kind;
            this.status = status;
            this.delay = delay;
            this.message = message;
        }

        private static Script of(Kind kind) {
            return new Script(kind, 0, Duration.ZERO, null);
        }

        public static Script normal() {
            return of(Kind.NORMAL);
        }

        /** HTTP 429 whatever the queue holds; no job. */
        public static Script rateLimited() {
            return of(Kind.RATE_LIMITED);
        }

        /** That HTTP status (500, 503) with a server error body; no job. */
        public static Script serverError(int status) {
            return new Script(Kind.SERVER_ERROR, status, Duration.ZERO, null);
        }

        /** Answers only after {@code delay}, then as usual: the job exists even if the caller gave up. */
        public static Script slow(Duration delay) {
            return new Script(Kind.SLOW, 0, delay, null);
        }

        /** HTTP 200 {@code {"status":"error","message":...}}; no job. */
        public static Script errorBody(String message) {
            return new Script(Kind.ERROR_BODY, 0, Duration.ZERO, message);
        }

        /** HTTP 200 {@code {"status":"error","messege":...}}, the legacy spelling; no job. */
        public static Script legacyErrorBody(String message) {
            return new Script(Kind.LEGACY_ERROR_BODY, 0, Duration.ZERO, message);
        }

        /** HTTP 402 with the documented insufficient-credits body; no job. */
        public static Script insufficientCredits() {
            return of(Kind.NO_CREDITS);
        }

        /**
         * Done at once, answered in the success shape with its output URLs, but the files appear on the CDN only
         * {@code delay} later; fetch answers success (with those URLs) meanwhile.
         */
        public static Script outputsLate(Duration delay) {
            return new Script(Kind.OUTPUTS_LATE, 0, delay, null);
        }

        /**
         * Done at once, answered in the success shape with {@code nsfw_content_detected: true}; if the request
         * turned the safety checker on, each output is replaced (a black image), as its type says it would be.
         */
        public static Script nsfwDetected() {
            return of(Kind.NSFW);
        }

        /** Answered "success" with an empty output; the job runs on as usual and fetch gives its outputs later. */
        public static Script successWithoutOutputs() {
            return of(Kind.EMPTY_SUCCESS);
        }

        /** The job is done before the answer, which is the success shape; a webhook follows if asked. */
        public static Script succeedAtOnce() {
            return of(Kind.SUCCEED_AT_ONCE);
        }

        /** Accepted, then fails after the processing time: "failed" webhook, fetch answers an error. */
        public static Script failLater(String message) {
            return new Script(Kind.FAIL_LATER, 0, Duration.ZERO, message);
        }

        /** As usual, but the webhook is never sent (generation webhooks are best-effort). */
        public static Script dropWebhook() {
            return of(Kind.DROP_WEBHOOK);
        }

        /** As usual, but the completion webhook is sent twice. */
        public static Script duplicateWebhook() {
            return of(Kind.DUPLICATE_WEBHOOK);
        }

        /** A success-looking webhook, whose outputs do not exist yet, right away; the real one when done. */
        public static Script earlyWebhook() {
            return of(Kind.EARLY_WEBHOOK);
        }

        /**
         * Accepted and run as usual (webhook included), but the answer's body arrives cut off: the job
         * exists at the provider though the caller can't read its id (see {@link #respondGarbled}).
         */
        public static Script garbledAnswer() {
            return of(Kind.GARBLED_ANSWER);
        }

        /** Done at once; its webhook is sent and answered before the (processing) answer is written. */
        public static Script webhookBeforeResponse() {
            return of(Kind.WEBHOOK_BEFORE_RESPONSE);
        }
    }
}
