package app.visage.providers.modelslab;

import app.visage.config.Secrets;
import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.Entropy;
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
 * fetches, JSON numbers for numeric params, and one way of reading answers. What is sent follows
 * each page to the letter (docs/providers/modelslab.md): what the caller left out is left out,
 * except the fields a page marks required, which get that page's documented default (else its
 * example's value); the size is always within 512×768.
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

    static final int MAX_WIDTH = 512;
    static final int MAX_HEIGHT = 768;
    /** Visage's own floor for a size it works out (the same as the width/height params'). */
    private static final int MIN_SIDE = 64;

    /** Built on first use (see {@link ProviderHttp#lazyClient}). */
    private final Supplier<ModelsLabApi> api;

    ModelsLabProvider(VisageConfig.Provider settings, Secrets secrets) {
        super(settings, secrets);
        this.api = ProviderHttp.lazyClient(ModelsLabApi.class, settings);
    }

    /** How an endpoint's schema types {@code guidance_scale}. */
    record Guidance(boolean integer, double min, double max) {
        static final Guidance ANY_NUMBER = new Guidance(false, Param.GUIDANCE_SCALE.min(), Param.GUIDANCE_SCALE.max());
    }

    /** Sends the generation request for {@code operation}. */
    abstract Uni<Response> generate(ModelsLabApi api, Operation operation, byte[] body);

    abstract Uni<Response> fetch(ModelsLabApi api, String id, byte[] body);

    /** Values sent for the params this server's page marks required, when the caller gave none. */
    Map<Param, Object> requiredDefaults(Operation operation) {
        return Map.of();
    }

    /** Whether the page marks {@code seed} required: Visage then picks one at random, and records it. */
    boolean seedRequired(Operation operation) {
        return false;
    }

    /** Whether the page marks {@code webhook} and {@code track_id} required: sent (null webhook) even without one. */
    boolean webhookRequired(Operation operation) {
        return false;
    }

    /** Whether the page marks {@code base64} required (sent as its documented default, false). */
    boolean base64Required(Operation operation) {
        return false;
    }

    /** The shared v6 API types {@code track_id} as an integer; the enterprise pages as a string. */
    boolean trackIdAsString() {
        return true;
    }

    Guidance guidance(Operation operation) {
        return Guidance.ANY_NUMBER;
    }

    @Override
    public void check(Operation operation, Params params) {
        if (params.string(Param.PROMPT).filter(p -> !p.isBlank()).isEmpty()) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "params.prompt is required by " + id(), "params.prompt");
        }
        Guidance guidance = guidance(operation);
        params.number(Param.GUIDANCE_SCALE).ifPresent(value -> {
            boolean whole = value == Math.rint(value);
            if (value < guidance.min() || value > guidance.max() || guidance.integer() && !whole) {
                throw new VisageException(
                        ErrorCode.INVALID_PARAM,
                        "params.guidance_scale must be " + (guidance.integer() ? "a whole number" : "a number")
                                + " from " + (long) guidance.min() + " to " + (long) guidance.max() + " for "
                                + id() + " " + operation.wire(),
                        "params.guidance_scale");
            }
        });
    }

    @Override
    public ProviderOutcome start(ProviderCall call) {
        Operation operation = call.operation();
        Params params = call.params();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("key", apiKey());
        body.put("face_image", call.photoUrl().toString());
        requiredDefaults(operation).forEach((param, value) -> body.set(param.wire(), Json.MAPPER.valueToTree(value)));
        params.toStored().forEach((name, value) -> body.set(name, Json.MAPPER.valueToTree(value)));
        body.remove(Param.RETURN_BASE64.wire());
        if (operations().get(operation).contains(Param.WIDTH)) {
            int[] size = size(
                    params.integer(Param.WIDTH).orElse(null),
                    params.integer(Param.HEIGHT).orElse(null),
                    call.photoWidth(),
                    call.photoHeight());
            body.put("width", size[0]).put("height", size[1]);
        }
        if (body.has("guidance_scale") && guidance(operation).integer()) {
            body.put("guidance_scale", Math.round(body.get("guidance_scale").asDouble()));
        }
        Long seed = params.integer(Param.SEED).orElse(null);
        if (seed == null && seedRequired(operation)) {
            seed = Entropy.nextLong(1L << 32);
            body.put("seed", seed);
        }
        if (base64Required(operation)) {
            body.put("base64", false);
        }
        boolean webhookRequired = webhookRequired(operation);
        if (call.webhookUrl() != null) {
            body.put("webhook", call.webhookUrl().toString());
        } else if (webhookRequired) {
            body.putNull("webhook");
        }
        if (call.webhookUrl() != null || webhookRequired) {
            long trackId = trackId(call.jobId());
            if (trackIdAsString()) {
                body.put("track_id", Long.toString(trackId));
            } else {
                body.put("track_id", trackId);
            }
        }
        return ModelsLabAnswers.generation(
                ProviderHttp.await(generate(api.get(), operation, Json.write(body)), settings.timeout()), seed);
    }

    @Override
    public ProviderOutcome fetch(String providerJobId) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("key", apiKey());
        return ModelsLabAnswers.fetch(
                ProviderHttp.await(fetch(api.get(), providerJobId, Json.write(body)), settings.timeout()),
                providerJobId);
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

    /**
     * The size sent, Visage's own rule: what the caller gave; a side left out follows the photo's aspect ratio;
     * with neither, the largest size of the photo's aspect ratio within 512×768 (the servers would otherwise take
     * the photo's own size, past their limits). Worked-out sides are multiples of 8, at least 64; a photo of unknown
     * size is taken as square.
     */
    static int[] size(Long width, Long height, int photoWidth, int photoHeight) {
        double pw = photoWidth > 0 && photoHeight > 0 ? photoWidth : 1;
        double ph = photoWidth > 0 && photoHeight > 0 ? photoHeight : 1;
        if (width != null && height != null) {
            return new int[] {width.intValue(), height.intValue()};
        }
        if (width != null) {
            return new int[] {width.intValue(), side(width * ph / pw, MAX_HEIGHT)};
        }
        if (height != null) {
            return new int[] {side(height * pw / ph, MAX_WIDTH), height.intValue()};
        }
        double scale = Math.min(MAX_WIDTH / pw, MAX_HEIGHT / ph);
        return new int[] {side(pw * scale, MAX_WIDTH), side(ph * scale, MAX_HEIGHT)};
    }

    private static int side(double exact, int max) {
        int down = (int) Math.floor(exact / 8) * 8;
        return Math.max(MIN_SIDE, Math.min(max, down));
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
