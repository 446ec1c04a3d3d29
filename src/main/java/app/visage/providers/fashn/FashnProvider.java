package app.visage.providers.fashn;

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
    /** FASHN's own estimate is 12–120 s; the first look comes after the shorter. */
    private static final Duration EXPECTED = Duration.ofSeconds(12);

    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(10);

    /** Built on first use (see {@link ProviderHttp#lazyClient}). */
    private final Supplier<FashnApi> api;

    public FashnProvider(VisageConfig config) {
        super(config.providers().fashn());
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
        return started(
                ProviderHttp.await(api.get().run(bearer(), call.webhookUrl().toString(), body), settings.timeout()));
    }

    /** What the answer to {@code POST /v1/run} means. */
    static ProviderOutcome started(ProviderHttp.Reply reply) {
        return switch (reply) {
            case ProviderHttp.NoAnswer none
            when !none.sent() -> new ProviderOutcome.Transient("FASHN could not be reached", null);
            case ProviderHttp.NoAnswer none -> new ProviderOutcome.Unconfirmed("FASHN did not answer in time");
            case ProviderHttp.Answer answer
            when answer.ok() && answer.field("id") != null -> new ProviderOutcome.Pending(answer.field("id"), EXPECTED);
            case ProviderHttp.Answer answer
            when answer.ok() -> new ProviderOutcome.Unconfirmed("FASHN answered without a prediction id");
            case ProviderHttp.Answer answer -> refusal(answer);
        };
    }

    @Override
    public ProviderOutcome fetch(String providerJobId) {
        return fetched(ProviderHttp.await(api.get().status(bearer(), providerJobId), settings.timeout()));
    }

    /** What the answer to {@code GET /v1/status/{id}} means. */
    static ProviderOutcome fetched(ProviderHttp.Reply reply) {
        return switch (reply) {
            case ProviderHttp.NoAnswer none -> new ProviderOutcome.Transient("FASHN did not answer", null);
            case ProviderHttp.Answer answer when answer.ok() -> prediction(answer.json());
            case ProviderHttp.Answer answer
            when answer.status() == 404 ->
                new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR, "FASHN no longer tracks this prediction", errorName(answer));
            case ProviderHttp.Answer answer
            when answer.status() == 429 -> new ProviderOutcome.Busy(retryAfter(answer), errorName(answer));
            case ProviderHttp.Answer answer ->
                new ProviderOutcome.Transient("FASHN answered " + answer.status(), errorName(answer));
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
        return new ProviderOutcome.Failed(
                ErrorCode.PROVIDER_ERROR,
                "FASHN refused the job: "
                        + Optional.ofNullable(answer.field("message")).orElse("HTTP " + answer.status()),
                name);
    }

    private static ProviderOutcome prediction(JsonNode body) {
        String status = body.path("status").asText("");
        return switch (status) {
            case "starting", "in_queue", "processing" -> new ProviderOutcome.Pending(null, null);
            case "completed" -> completed(body.path("output"));
            case "failed" -> failure(body.path("error"));
            // No status to read (a body cut off or mangled on the way): it says nothing of the prediction, so ask
            // again.
            case "" -> new ProviderOutcome.Transient("FASHN answered a status that could not be read", null);
            default ->
                new ProviderOutcome.Failed(ErrorCode.PROVIDER_ERROR, "FASHN ended the prediction as " + status, status);
        };
    }

    /** A completed prediction; an output that is neither a URL nor base64 fails it (asking again gives the same). */
    private static ProviderOutcome completed(JsonNode output) {
        try {
            return new ProviderOutcome.Finished(outputs(output), null);
        } catch (IllegalArgumentException e) {
            return new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR, "FASHN answered an output that is neither a URL nor base64", null);
        }
    }

    /** Runtime errors, as FASHN names them, onto Visage's codes. */
    private static ProviderOutcome failure(JsonNode error) {
        String name = error.path("name").asText("PipelineError");
        ErrorCode code = switch (name) {
            case "ImageLoadError", "PhotoTypeError" -> ErrorCode.IMAGE_UNREADABLE;
            case "ContentModerationError", "NSFWError" -> ErrorCode.CONTENT_MODERATION;
            default -> ErrorCode.PROVIDER_ERROR;
        };
        return new ProviderOutcome.Failed(
                code, "FASHN: " + error.path("message").asText(name), name);
    }

    /** URLs, or data URIs when return_base64 was asked. */
    private static List<ProviderOutcome.Output> outputs(JsonNode output) {
        List<ProviderOutcome.Output> outputs = new ArrayList<>();
        output.forEach(o -> {
            String value = o.asText("");
            if (value.startsWith("data:")) {
                outputs.add(new ProviderOutcome.Bytes(
                        Base64.getMimeDecoder().decode(value.substring(value.indexOf(',') + 1))));
            } else if (!value.isBlank()) {
                outputs.add(new ProviderOutcome.Link(URI.create(value)));
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
