package app.visage.providers.fashn;

import app.visage.config.Secrets;
import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.json.Json;
import app.visage.providers.ProviderHttp;
import app.visage.providers.RemoteProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code fashn}: face-to-model through {@code POST /v1/run} and {@code GET /v1/status/{id}}. The
 * photo goes as a data URI: FASHN keeps the URLs it is given but not base64 inputs.
 */
@Singleton
public class FashnProvider extends RemoteProvider {
    /** FASHN's pages give 12 s (older) and 20–120 s (newer); the first look comes after the shorter. */
    private static final Duration EXPECTED = Duration.ofSeconds(12);

    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(10);

    /** Built on first use (see {@link ProviderHttp#lazyClient}). */
    private final Supplier<FashnApi> api;

    /** Without a secret to re-read: the configured key (tests that build the adapter themselves). */
    public FashnProvider(VisageConfig config) {
        this(config, Secrets.NONE);
    }

    @Inject
    public FashnProvider(VisageConfig config, Secrets secrets) {
        super(config.providers().fashn(), secrets);
        this.api = ProviderHttp.lazyClient(FashnApi.class, settings);
    }

    @Override
    public String id() {
        return "fashn";
    }

    @Override
    public Map<Operation, Set<Param>> operations() {
        return Map.of(
                Operation.FACE_TO_MODEL,
                Set.of(Param.PROMPT, Param.ASPECT_RATIO, Param.SEED, Param.OUTPUT_FORMAT, Param.RETURN_BASE64));
    }

    @Override
    public ProviderOutcome start(ProviderCall call) {
        ObjectNode inputs = Json.MAPPER.createObjectNode();
        inputs.put(
                "face_image",
                "data:" + call.photo().contentType() + ";base64,"
                        + Base64.getEncoder().encodeToString(call.photo().bytes()));
        call.params().toStored().forEach((name, value) -> inputs.set(name, Json.MAPPER.valueToTree(value)));
        ObjectNode body = Json.MAPPER.createObjectNode().put("model_name", "face-to-model");
        body.set("inputs", inputs);
        // No webhook URL: no query parameter at all (the REST client leaves a null one out), and Visage polls.
        String webhook = call.webhookUrl() == null ? null : call.webhookUrl().toString();
        // Only the caller's seed is known: the pages disagree on FASHN's own default (docs/providers/fashn.md).
        Long seed = call.params().integer(Param.SEED).orElse(null);
        return started(ProviderHttp.await(api.get().run(bearer(), webhook, body), settings.timeout()), seed);
    }

    /** What the answer to {@code POST /v1/run} means; {@code seed} is the one sent (null: none). */
    static ProviderOutcome started(ProviderHttp.Reply reply, Long seed) {
        return switch (reply) {
            case ProviderHttp.NoAnswer none
            when !none.sent() -> new ProviderOutcome.Transient("FASHN could not be reached", null);
            case ProviderHttp.NoAnswer none -> new ProviderOutcome.Unconfirmed("FASHN did not answer in time");
            case ProviderHttp.Answer answer
            when answer.ok() && answer.field("id") != null ->
                new ProviderOutcome.Pending(answer.field("id"), EXPECTED, seed);
            case ProviderHttp.Answer answer
            when answer.ok() -> new ProviderOutcome.Unconfirmed("FASHN answered without a prediction id");
            case ProviderHttp.Answer answer -> refusal(answer);
        };
    }

    @Override
    public ProviderOutcome fetch(String providerJobId) {
        return fetched(
                providerJobId, ProviderHttp.await(api.get().status(bearer(), providerJobId), settings.timeout()));
    }

    /**
     * What the answer to {@code GET /v1/status/{id}} means. Every message that ends a run names the prediction:
     * FASHN's support asks for its id.
     */
    static ProviderOutcome fetched(String predictionId, ProviderHttp.Reply reply) {
        return switch (reply) {
            case ProviderHttp.NoAnswer none ->
                new ProviderOutcome.Transient("FASHN did not answer about prediction " + predictionId, null);
            case ProviderHttp.Answer answer when answer.ok() -> prediction(predictionId, answer.json());
            case ProviderHttp.Answer answer
            when answer.status() == 404 ->
                new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR,
                        "FASHN no longer tracks prediction " + predictionId,
                        errorName(answer));
            case ProviderHttp.Answer answer
            when answer.status() == 429 -> new ProviderOutcome.Busy(retryAfter(answer), errorName(answer));
            case ProviderHttp.Answer answer ->
                new ProviderOutcome.Transient(
                        "FASHN answered " + answer.status() + " about prediction " + predictionId, errorName(answer));
        };
    }

    @Override
    public Optional<String> webhookJobId(byte[] body) {
        try {
            JsonNode id = Json.MAPPER.readTree(body).path("id");
            return id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** API-level errors: no prediction was created, so nothing was charged. */
    private static ProviderOutcome refusal(ProviderHttp.Answer answer) {
        String name = errorName(answer);
        if (answer.status() == 429 && !"OutOfCredits".equals(name)) {
            return new ProviderOutcome.Busy(retryAfter(answer), name);
        }
        if (answer.status() >= 500) {
            return new ProviderOutcome.Transient("FASHN answered " + answer.status(), name);
        }
        // No prediction was created: nothing charged, so the next provider a request lists may take the job.
        return new ProviderOutcome.Refused(
                ErrorCode.PROVIDER_ERROR,
                "FASHN refused the job: "
                        + Optional.ofNullable(answer.field("message")).orElse("HTTP " + answer.status()),
                name);
    }

    private static ProviderOutcome prediction(String id, JsonNode body) {
        String status = body.path("status").asText("");
        return switch (status) {
            case "starting", "in_queue", "processing" -> new ProviderOutcome.Pending(null, null);
            case "completed" -> completed(id, body.path("output"));
            case "failed" -> failure(id, body.path("error"));
            // No status to read (a body cut off or mangled on the way): it says nothing of the prediction, so ask
            // again.
            case "" ->
                new ProviderOutcome.Transient(
                        "FASHN answered a status that could not be read for prediction " + id, null);
            default ->
                new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR, "FASHN ended prediction " + id + " as " + status, status);
        };
    }

    /**
     * A completed prediction is a success only with an output to copy: the page promises the images, and
     * asking again returns the same answer, so an empty or unreadable one fails the job.
     */
    private static ProviderOutcome completed(String id, JsonNode output) {
        List<ProviderOutcome.Output> outputs;
        try {
            outputs = outputs(output);
        } catch (IllegalArgumentException e) {
            return new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR,
                    "FASHN answered an output that is neither a URL nor base64 (prediction " + id + ")",
                    null);
        }
        if (outputs.isEmpty()) {
            return new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR,
                    "FASHN completed the prediction without an output (prediction " + id + ")",
                    null);
        }
        return new ProviderOutcome.Finished(outputs, null, id, null);
    }

    /**
     * Runtime errors, as FASHN names them (face-to-model page and the status schema of FASHN's SDKs): those it
     * says to retry run the job again, the others end it. The table with each source is in docs/providers/fashn.md.
     */
    private static ProviderOutcome failure(String id, JsonNode error) {
        String name = error.path("name").asText("");
        if (!error.isObject() || name.isBlank()) {
            return new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR, "FASHN failed prediction " + id + " without saying why", null);
        }
        String message = "FASHN: " + error.path("message").asText(name) + " (prediction " + id + ")";
        return switch (name) {
            case "PipelineError", "ThirdPartyError", "3rdPartyProviderError", "InternalServerError" ->
                new ProviderOutcome.Rerun(message, name);
            case "ImageLoadError", "PhotoTypeError" ->
                new ProviderOutcome.Failed(ErrorCode.IMAGE_UNREADABLE, message, name);
            case "ContentModerationError", "NSFWError" ->
                new ProviderOutcome.Failed(ErrorCode.CONTENT_MODERATION, message, name);
            default -> new ProviderOutcome.Failed(ErrorCode.PROVIDER_ERROR, message, name);
        };
    }

    /**
     * URLs, or data URIs when return_base64 was asked (the bytes tell the format: the page's prefix is always
     * {@code image/png}). Entries that are not text, or blank, carry nothing; text that is neither throws.
     */
    private static List<ProviderOutcome.Output> outputs(JsonNode output) {
        List<ProviderOutcome.Output> outputs = new ArrayList<>();
        if (!output.isArray()) {
            return outputs;
        }
        output.forEach(o -> {
            String value = o.isTextual() ? o.asText().strip() : "";
            if (value.isEmpty()) {
                return;
            }
            if (value.startsWith("data:")) {
                int comma = value.indexOf(',');
                if (comma < 0 || !value.substring(0, comma).endsWith(";base64")) {
                    throw new IllegalArgumentException("not a base64 data URI");
                }
                byte[] bytes = Base64.getMimeDecoder().decode(value.substring(comma + 1));
                if (bytes.length == 0) {
                    throw new IllegalArgumentException("an empty data URI");
                }
                outputs.add(new ProviderOutcome.Bytes(bytes));
            } else {
                URI url = URI.create(value);
                if (!("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))
                        || url.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                outputs.add(new ProviderOutcome.Link(url));
            }
        });
        return outputs;
    }

    private static String errorName(ProviderHttp.Answer answer) {
        return Optional.ofNullable(answer.field("error")).orElse(String.valueOf(answer.status()));
    }

    private static Duration retryAfter(ProviderHttp.Answer answer) {
        try {
            return answer.retryAfterHeader() == null
                    ? DEFAULT_RETRY
                    : Duration.ofSeconds(
                            Long.parseLong(answer.retryAfterHeader().trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY;
        }
    }

    private String bearer() {
        return "Bearer " + apiKey();
    }
}
