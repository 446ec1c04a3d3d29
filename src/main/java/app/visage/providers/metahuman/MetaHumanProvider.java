package app.visage.providers.metahuman;

import app.visage.config.Secrets;
import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.images.ImageFormat;
import app.visage.jobs.model.FaceRecon;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.providers.ProviderHttp;
import app.visage.providers.RemoteProvider;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code metahuman}: 3D face reconstruction, synchronous (docs/providers/metahuman.md). The photo goes as a
 * multipart body built in memory (so it has a Content-Length), named after the job (its texture's path is
 * derived from the name). The face texture it answers with is a path relative to its own host, copied into the
 * bucket as output 1; the model becomes the job's {@code result} in the one {@link FaceRecon} shape, and only a
 * result with everything the page promises is a success. There is no job id to ask about later, so a call that
 * got no answer is not repeated (it may have been charged): the job fails with {@code provider_timeout}.
 */
@Singleton
public class MetaHumanProvider extends RemoteProvider {
    /** In this order in messages. */
    private static final Set<String> PHOTO_TYPES = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(
            List.of(ImageFormat.JPEG.mediaType(), ImageFormat.PNG.mediaType(), ImageFormat.HEIC.mediaType())));
    /** "Maximum file size: 10 MB" and "less than 10mb": below the smaller megabyte, both pages allow it. */
    private static final int MAX_PHOTO_BYTES = 10_000_000;
    /** "Shape blendshapes. List 80 long with float." */
    private static final int BLEND_SHAPES = 80;

    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

    /** Built on first use (see {@link ProviderHttp#lazyClient}). */
    private final Supplier<MetaHumanApi> api;

    /** Without a secret to re-read: the configured key (tests that build the adapter themselves). */
    public MetaHumanProvider(VisageConfig config) {
        this(config, Secrets.NONE);
    }

    @Inject
    public MetaHumanProvider(VisageConfig config, Secrets secrets) {
        super(config.providers().metahuman(), secrets);
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

    /** The formats its page lists (JPG, PNG, HEIC); its error list also names bmp and webp, so only these three. */
    @Override
    public Set<String> photoTypes() {
        return PHOTO_TYPES;
    }

    @Override
    public ProviderOutcome start(ProviderCall call) {
        Photo photo = call.photo();
        if (!PHOTO_TYPES.contains(photo.contentType())) {
            // Submit refuses these already; a photo uploaded under another content type is caught here, unsent.
            return new ProviderOutcome.Failed(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "metahuman takes " + String.join(", ", PHOTO_TYPES) + " photos, not " + photo.contentType(),
                    null);
        }
        if (photo.bytes().length >= MAX_PHOTO_BYTES) {
            return new ProviderOutcome.Failed(
                    ErrorCode.IMAGE_TOO_LARGE, "metahuman takes photos under 10,000,000 bytes", null);
        }
        // Its texture path looks derived from the upload's name (face.jpg would give every job the same one).
        MultipartBody body = MultipartBody.of(
                "token",
                apiKey(),
                "image_bytes",
                call.jobId().value() + "." + photo.extension(),
                photo.contentType(),
                photo.bytes());
        return answered(
                ProviderHttp.await(api.get().runPipeline(body.contentType(), body.bytes()), settings.timeout()),
                settings.baseUrl());
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
            case ProviderHttp.Answer answer when answer.ok() -> finished(answer.json(), baseUrl);
            case ProviderHttp.Answer answer
            when answer.status() >= 500 ->
                new ProviderOutcome.Transient("MetaHuman answered " + answer.status(), String.valueOf(answer.status()));
            case ProviderHttp.Answer answer -> error(answer);
        };
    }

    /**
     * A success only with everything the page promises; anything less fails the job with what was missing.
     * The call is synchronous (no id to ask again by) and may have been charged, so it is not repeated.
     */
    private static ProviderOutcome finished(JsonNode body, URI baseUrl) {
        if (body.isMissingNode()) {
            return new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR, "MetaHuman answered 200 with a body that is not JSON", null);
        }
        JsonNode result = body.path("result");
        List<String> missing = new ArrayList<>();
        JsonNode face = result.path("face");
        List<Double> blendShapes = blendShapes(face.path("blendShapes"), missing);
        JsonNode blink = face.path("blinkCorrectionCoeff");
        if (!blink.isNumber()) {
            missing.add("face.blinkCorrectionCoeff (a number)");
        }
        URI texture = texture(face.path("textureUrl"), baseUrl, missing);
        String hairColor = hex(result.path("hair").path("color"), "hair.color", missing);
        String hairType = text(result.path("hair").path("type"), "hair.type", missing);
        String skinColor = hex(result.path("skin").path("color"), "skin.color", missing);
        String gender = text(result.path("gender"), "gender", missing);
        List<String> accessories = accessories(result.path("accessories"), missing);
        if (!missing.isEmpty()) {
            return new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR,
                    "MetaHuman answered a result without " + String.join(", ", missing),
                    null);
        }
        FaceRecon recon = new FaceRecon(
                new FaceRecon.Skin(skinColor, null),
                new FaceRecon.Hair(hairColor, hairType, null),
                gender,
                accessories,
                new FaceRecon.Face(blendShapes, blink.doubleValue(), null, null, null));
        return new ProviderOutcome.Finished(List.of(new ProviderOutcome.Link(texture)), recon.toResult());
    }

    private static List<Double> blendShapes(JsonNode node, List<String> missing) {
        List<Double> shapes = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode n : node) {
                if (!n.isNumber()) {
                    missing.add("face.blendShapes (" + BLEND_SHAPES + " numbers; it holds a " + n.getNodeType() + ")");
                    return null;
                }
                shapes.add(n.doubleValue());
            }
        }
        if (shapes.size() != BLEND_SHAPES) {
            missing.add("face.blendShapes (" + BLEND_SHAPES + " numbers, not " + shapes.size() + ")");
            return null;
        }
        return shapes;
    }

    /** The page's texture is a path ({@code /static/…png}) on MetaHuman's own host: nothing else is taken. */
    private static URI texture(JsonNode node, URI baseUrl, List<String> missing) {
        if (node.isTextual() && node.asText().startsWith("/") && !node.asText().startsWith("//")) {
            try {
                URI path = new URI(node.asText());
                if (path.getScheme() == null && path.getRawAuthority() == null) {
                    return baseUrl.resolve(path);
                }
            } catch (URISyntaxException e) {
                // falls through to "missing"
            }
        }
        missing.add("face.textureUrl (a path)");
        return null;
    }

    private static String hex(JsonNode node, String name, List<String> missing) {
        if (node.isTextual() && HEX.matcher(node.asText()).matches()) {
            return node.asText().toLowerCase(Locale.ROOT);
        }
        missing.add(name + " (#rrggbb)");
        return null;
    }

    private static String text(JsonNode node, String name, List<String> missing) {
        if (node.isTextual() && !node.asText().isBlank()) {
            return node.asText();
        }
        missing.add(name + " (a string)");
        return null;
    }

    private static List<String> accessories(JsonNode node, List<String> missing) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    break;
                }
                names.add(n.asText());
            }
            if (names.size() == node.size()) {
                return names;
            }
        }
        missing.add("accessories (a list of strings)");
        return null;
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
        // The token was refused (0 unregistered, 1 authorization): nothing was reconstructed, another provider may.
        return code.equals("0") || code.equals("1")
                ? new ProviderOutcome.Refused(mapped, message, code)
                : new ProviderOutcome.Failed(mapped, message, code);
    }
}
