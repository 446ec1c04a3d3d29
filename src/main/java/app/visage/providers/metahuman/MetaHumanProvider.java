package app.visage.providers.metahuman;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.json.Json;
import app.visage.providers.ProviderHttp;
import app.visage.providers.RemoteProvider;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/**
 * {@code metahuman}: 3D face reconstruction, synchronous. The face texture it answers with is a
 * path relative to its own host, copied into the bucket as output 1; the model parameters become
 * the job's {@code result}. There is no job id to ask about later, so a call that got no answer is
 * not repeated (it may have been charged): the job fails with {@code provider_timeout}.
 */
@Singleton
public class MetaHumanProvider extends RemoteProvider {
    /** Built on first use (see {@link ProviderHttp#lazyClient}). */
    private final Supplier<MetaHumanApi> api;

    public MetaHumanProvider(VisageConfig config) {
        super(config.providers().metahuman());
        this.api = ProviderHttp.lazyClient(MetaHumanApi.class, settings);
    }

    @Override
    public String id() {
        return "metahuman";
    }

    @Override
    public Map<Operation, Set<Param>> operations() {
        return Map.of(Operation.FACE_RECON, Set.of());
    }

    @Override
    public ProviderOutcome start(ProviderCall call) {
        Photo photo = call.photo();
        ClientMultipartForm form = ClientMultipartForm.create()
                .attribute("token", apiKey(), null)
                .binaryFileUpload(
                        "image_bytes", "face." + photo.extension(), Buffer.buffer(photo.bytes()), photo.contentType());
        return answered(ProviderHttp.await(api.get().runPipeline(form), settings.timeout()), settings.baseUrl());
    }

    /** What the answer to {@code run_pipeline} means; the texture path is resolved against {@code baseUrl}. */
    static ProviderOutcome answered(ProviderHttp.Reply reply, URI baseUrl) {
        return switch (reply) {
            case ProviderHttp.NoAnswer none
            when !none.sent() -> new ProviderOutcome.Transient("MetaHuman could not be reached", null);
            case ProviderHttp.NoAnswer none ->
                new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_TIMEOUT,
                        "MetaHuman did not answer in time; the photo was not sent again",
                        null);
            case ProviderHttp.Answer answer
            when answer.ok() && answer.json().path("result").isObject() ->
                finished(answer.json().path("result"), baseUrl);
            case ProviderHttp.Answer answer
            when answer.status() >= 500 ->
                new ProviderOutcome.Transient("MetaHuman answered " + answer.status(), String.valueOf(answer.status()));
            case ProviderHttp.Answer answer -> error(answer);
        };
    }

    /** The result's fields; a result of the wrong shape, or a texture path that is no URI path, fails the job. */
    private static ProviderOutcome finished(JsonNode result, URI baseUrl) {
        try {
            return readResult(result, baseUrl);
        } catch (IllegalArgumentException e) {
            return new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR, "MetaHuman answered a result Visage cannot read", null);
        }
    }

    private static ProviderOutcome readResult(JsonNode result, URI baseUrl) {
        Map<String, Object> fields = new LinkedHashMap<>();
        JsonNode face = result.path("face");
        fields.put(
                "blend_shapes",
                Json.MAPPER.convertValue(face.path("blendShapes"), new TypeReference<List<Double>>() {}));
        fields.put(
                "blink_correction_coeff",
                face.path("blinkCorrectionCoeff").isNumber()
                        ? face.path("blinkCorrectionCoeff").numberValue()
                        : null);
        fields.put(
                "hair",
                Map.of(
                        "color",
                        result.path("hair").path("color").asText(""),
                        "type",
                        result.path("hair").path("type").asText("")));
        fields.put("skin", Map.of("color", result.path("skin").path("color").asText("")));
        fields.put("gender", result.path("gender").asText(""));
        fields.put(
                "accessories",
                Json.MAPPER.convertValue(result.path("accessories"), new TypeReference<List<String>>() {}));
        String texture = face.path("textureUrl").asText("");
        List<ProviderOutcome.Output> outputs =
                texture.isBlank() ? List.of() : List.of(new ProviderOutcome.Link(baseUrl.resolve(texture)));
        return new ProviderOutcome.Finished(outputs, fields);
    }

    /** The documented error codes (422 {@code {"error":{"code","message"}}}) onto Visage's. */
    private static ProviderOutcome error(ProviderHttp.Answer answer) {
        JsonNode error = answer.json().path("error");
        String code = error.path("code").isValueNode() ? error.path("code").asText() : String.valueOf(answer.status());
        String message = "MetaHuman: " + error.path("message").asText("HTTP " + answer.status());
        ErrorCode mapped = switch (code) {
            case "3" -> ErrorCode.IMAGE_TOO_LARGE;
            case "4" -> ErrorCode.FACE_NOT_FOUND;
            case "5", "6" -> ErrorCode.IMAGE_UNREADABLE;
            default -> ErrorCode.PROVIDER_ERROR;
        };
        return new ProviderOutcome.Failed(mapped, message, code);
    }
}
