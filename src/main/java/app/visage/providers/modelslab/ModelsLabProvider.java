package app.visage.providers.modelslab;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.Sha256;
import app.visage.json.Json;
import app.visage.providers.ProviderHttp;
import app.visage.providers.RemoteProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the three ModelsLab servers share: the key in the body, the photo as a URL the provider
 * fetches, our webhook and a numeric {@code track_id}, JSON numbers for numeric params, and one
 * way of reading answers. Each server says its endpoints, the params it takes, and the ones it
 * requires (filled with their documented defaults when the user gave none).
 */
abstract class ModelsLabProvider extends RemoteProvider {
    /** Params every ModelsLab generation takes; {@code return_base64} is Visage's (outputs as data URIs in the view). */
    static final Set<Param> COMMON = Set.of(
            Param.PROMPT,
            Param.NEGATIVE_PROMPT,
            Param.NUM_INFERENCE_STEPS,
            Param.GUIDANCE_SCALE,
            Param.SEED,
            Param.RETURN_BASE64);

    /** Built on first use (see {@link ProviderHttp#lazyClient}). */
    private final Supplier<ModelsLabApi> api;

    ModelsLabProvider(VisageConfig.Provider settings) {
        super(settings);
        this.api = ProviderHttp.lazyClient(ModelsLabApi.class, settings);
    }

    /** Sends the generation request for {@code operation}. */
    abstract Uni<Response> generate(ModelsLabApi api, Operation operation, ObjectNode body);

    abstract Uni<Response> fetch(ModelsLabApi api, String id, ObjectNode body);

    /** Values sent for params this server requires when the user gave none. */
    Map<Param, Object> requiredDefaults(Operation operation) {
        return Map.of();
    }

    /** The shared v6 API types {@code track_id} as an integer; the enterprise pages as a string. */
    boolean trackIdAsString() {
        return true;
    }

    @Override
    public void check(Operation operation, Params params) {
        if (params.string(Param.PROMPT).filter(p -> !p.isBlank()).isEmpty()) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "params.prompt is required by " + id(), "params.prompt");
        }
    }

    @Override
    public ProviderOutcome start(ProviderCall call) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("key", apiKey());
        body.put("face_image", call.photoUrl().toString());
        body.put("base64", false);
        body.put("webhook", call.webhookUrl().toString());
        long trackId = trackId(call.jobId());
        if (trackIdAsString()) {
            body.put("track_id", Long.toString(trackId));
        } else {
            body.put("track_id", trackId);
        }
        requiredDefaults(call.operation())
                .forEach((param, value) -> body.set(param.wire(), Json.MAPPER.valueToTree(value)));
        call.params().toStored().forEach((name, value) -> {
            if (!name.equals(Param.RETURN_BASE64.wire())) {
                body.set(name, Json.MAPPER.valueToTree(value));
            }
        });
        return ModelsLabAnswers.generation(
                ProviderHttp.await(generate(api.get(), call.operation(), body), settings.timeout()));
    }

    @Override
    public ProviderOutcome fetch(String providerJobId) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("key", apiKey());
        return ModelsLabAnswers.fetch(ProviderHttp.await(fetch(api.get(), providerJobId, body), settings.timeout()));
    }

    @Override
    public Optional<String> webhookJobId(byte[] body) {
        try {
            JsonNode id = Json.MAPPER.readTree(body).path("id");
            return id.isValueNode() && !id.isNull() && !id.asText().isBlank()
                    ? Optional.of(id.asText())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A stable 53-bit number for the job (exact in any JSON reader), since track_id may be typed integer. */
    static long trackId(JobId job) {
        byte[] digest = Sha256.of(job.value());
        long value = 0;
        for (int i = 0; i < 7; i++) {
            value = value << 8 | (digest[i] & 0xFF);
        }
        return value & ((1L << 53) - 1);
    }
}
