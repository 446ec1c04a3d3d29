package app.visage.api;

import app.visage.config.VisageConfig;
import app.visage.egress.EgressPolicy;
import app.visage.egress.PhotoFetcher;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.images.ImageFormat;
import app.visage.images.ImageInspector;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.model.WebhookEvent;
import app.visage.jobs.port.Provider;
import app.visage.jobs.usecase.Providers;
import app.visage.jobs.usecase.SubmitCommand;
import app.visage.jobs.usecase.UploadCommand;
import app.visage.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns POST /v1/jobs and POST /v1/uploads bodies into checked commands. Everything is validated
 * here, before anything is stored, so a refused request leaves nothing behind.
 */
@ApplicationScoped
public class JobRequests {
    private static final Set<String> JOB_FIELDS = Set.of(
            "operation",
            "provider",
            "providers",
            "face_image",
            "params",
            "webhook",
            "webhook_events_filter",
            "metadata");
    private static final Set<String> UPLOAD_FIELDS = Set.of(
            "operation",
            "provider",
            "providers",
            "content_type",
            "params",
            "webhook",
            "webhook_events_filter",
            "metadata");
    private static final Pattern DATA_URI =
            Pattern.compile("data:([\\w.+/-]*)((?:;[\\w-]+=[\\w.-]+)*);base64,", Pattern.CASE_INSENSITIVE);
    /** A body is one JSON value: anything after it makes it malformed, not ignored. */
    private static final ObjectReader JSON_BODY =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Every provider there is, at most. */
    private static final int MAX_PROVIDERS = 6;

    private static final int MAX_METADATA_KEYS = 20;
    private static final int MAX_METADATA_KEY = 40;
    private static final int MAX_METADATA_VALUE = 500;

    private final Providers providers;
    private final ImageInspector inspector;
    private final PhotoFetcher fetcher;
    private final EgressPolicy egress;
    private final VisageConfig config;
    private final Clock clock;

    public JobRequests(
            Providers providers,
            ImageInspector inspector,
            PhotoFetcher fetcher,
            EgressPolicy egress,
            VisageConfig config,
            Clock clock) {
        this.providers = providers;
        this.inspector = inspector;
        this.fetcher = fetcher;
        this.egress = egress;
        this.config = config;
        this.clock = clock;
    }

    /** The request as a command for the tenant's job {@code id}. */
    public SubmitCommand submit(HttpRequest request, Tenant tenant, JobId id) {
        JsonNode json;
        byte[] attached = null;
        Supplier<byte[]> imageSource = null;
        if (request.mediaType().equals("multipart/form-data")) {
            Map<String, Multipart.Part> parts = request.parts();
            Multipart.Part file = parts.get("face_image");
            Multipart.Part body = parts.get("request");
            if (file == null || body == null) {
                throw new VisageException(
                        ErrorCode.INVALID_REQUEST,
                        "multipart requests need a face_image file part and a request JSON part");
            }
            json = parseJson(body.body());
            checkFields(json, JOB_FIELDS);
            if (json.has("face_image")) {
                throw new VisageException(
                        ErrorCode.INVALID_REQUEST,
                        "face_image comes as the file part, not inside request",
                        "face_image");
            }
            attached = file.body();
        } else {
            checkJsonType(request);
            Optional<String> text = request.text();
            if (text.isPresent()) {
                // A data URI (up to 13 MB of base64) is decoded from the body text, never copied out of it.
                JsonBody body = parseLeavingImage(text.get());
                json = body.tree();
                if (body.imageRange() != null) {
                    int[] range = body.imageRange();
                    imageSource = () -> dataUri(text.get(), range[0], range[1]);
                }
            } else {
                json = parseJson(request.body());
            }
            checkFields(json, JOB_FIELDS);
        }
        // Cheap checks first: a bad parameter is refused before any photo is fetched or decoded.
        Operation operation = operation(json);
        Providers.Route route = route(json, operation);
        Params params = params(json, route, operation);
        URI webhook = webhook(json);
        Set<WebhookEvent> webhookEvents = webhookEvents(json, webhook);
        Map<String, String> metadata = metadata(json);
        byte[] bytes = attached != null
                ? attached
                : imageSource != null ? imageSource.get() : faceImage(json.get("face_image"));
        Photo photo = photo(bytes, "face_image");
        checkFormat(route, photo.header().format(), "face_image");
        return new SubmitCommand(
                id,
                tenant,
                operation,
                route.first(),
                params,
                photo,
                webhook,
                metadata,
                route.fallbacks(),
                route.passedOver(),
                webhookEvents);
    }

    public UploadCommand upload(HttpRequest request, Tenant tenant, JobId id) {
        JsonNode json = jsonBody(request);
        checkFields(json, UPLOAD_FIELDS);
        Operation operation = operation(json);
        Providers.Route route = route(json, operation);
        Params params = params(json, route, operation);
        String contentType = text(json, "content_type");
        ImageFormat format = contentType == null ? ImageFormat.JPEG : uploadFormat(contentType);
        checkFormat(route, format, "content_type");
        URI webhook = webhook(json);
        return new UploadCommand(
                id,
                tenant,
                operation,
                route.first(),
                params,
                format,
                webhook,
                metadata(json),
                route.fallbacks(),
                route.passedOver(),
                webhookEvents(json, webhook));
    }

    /** {@code provider} (one), or {@code providers} (an order of preference), or the operation's default. */
    private Providers.Route route(JsonNode json, Operation operation) {
        String one = text(json, "provider");
        JsonNode list = json.get("providers");
        if (list == null || list.isNull()) {
            return providers.route(operation, one, List.of(), clock.instant());
        }
        if (one != null) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "give provider or providers, not both", "providers");
        }
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_PROVIDERS) {
            throw new VisageException(
                    ErrorCode.INVALID_PARAM,
                    "providers must be a list of 1 to " + MAX_PROVIDERS + " provider ids",
                    "providers");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : list) {
            if (!id.isTextual() || ids.contains(id.asText())) {
                throw new VisageException(
                        ErrorCode.INVALID_PARAM, "providers must name each provider once, as a string", "providers");
            }
            ids.add(id.asText());
        }
        return providers.route(operation, null, ids, clock.instant());
    }

    /** The params, valid for every provider the job may run at: a param one of them does not take is refused. */
    private Params params(JsonNode json, Providers.Route route, Operation operation) {
        Params params = null;
        for (Provider provider : route.candidates(providers)) {
            Params valid =
                    Params.validate(json.get("params"), provider.operations().get(operation), provider.id(), operation);
            provider.check(operation, valid);
            params = params == null ? valid : params;
        }
        return params;
    }

    /** A photo format the chosen provider's documents do not list is refused here, before anything is stored. */
    /** The photo's format, which every provider the job may run at must take. */
    private void checkFormat(Providers.Route route, ImageFormat format, String field) {
        for (Provider provider : route.candidates(providers)) {
            Set<String> types = provider.photoTypes();
            if (!types.isEmpty() && !types.contains(format.mediaType())) {
                throw new VisageException(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        provider.id() + " takes " + String.join(", ", types) + " photos, not " + format.mediaType(),
                        field);
            }
        }
    }

    private JsonNode jsonBody(HttpRequest request) {
        checkJsonType(request);
        return parseJson(request.body());
    }

    private static void checkJsonType(HttpRequest request) {
        String type = request.mediaType();
        if (!type.isEmpty() && !type.equals("application/json")) {
            throw new VisageException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send application/json or multipart/form-data, not " + type);
        }
    }

    /**
     * A JSON body held as text. When its top-level {@code face_image} is a data URI written without escapes
     * (as every JSON encoder writes base64), the URI is left where it is: the rest of the body is parsed with
     * an empty string in its place (the same JSON, as the URI holds no quote, backslash or control character
     * once it decodes as plain base64, which {@link #dataUri} checks), and the photo is decoded from the text
     * directly. Anything else is parsed whole, as before.
     */
    private static JsonBody parseLeavingImage(String text) {
        int[] range = imageRange(text);
        if (range != null && DATA_URI.matcher(text).region(range[0], range[1]).lookingAt()) {
            JsonNode tree = parseJson(text.substring(0, range[0]) + text.substring(range[1]));
            JsonNode placeholder = tree.get("face_image");
            if (placeholder != null
                    && placeholder.isTextual()
                    && placeholder.asText().isEmpty()) {
                return new JsonBody(tree, range);
            }
        }
        return new JsonBody(parseJson(text), null);
    }

    /** The tree of a JSON body, and where face_image's characters are in the body text if they were left there. */
    private record JsonBody(JsonNode tree, int[] imageRange) {}

    /**
     * Where a top-level face_image string is in {@code text} ({start, end} of the characters between its
     * quotes), found without reading it; null if there is none, it has escapes, or the body is not JSON
     * (the full parse then says why).
     */
    private static int[] imageRange(String text) {
        try (JsonParser parser = Json.MAPPER.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("face_image".equals(name)) {
                    long quote = parser.currentTokenLocation().getCharOffset();
                    if (value != JsonToken.VALUE_STRING
                            || quote < 0
                            || quote >= text.length()
                            || text.charAt((int) quote) != '"') {
                        return null;
                    }
                    int start = (int) quote + 1;
                    int end = text.indexOf('"', start);
                    return end >= 0 && text.indexOf('\\', start, end) < 0 ? new int[] {start, end} : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode parseJson(String text) {
        try {
            return checkObject(JSON_BODY.readTree(text));
        } catch (IOException e) {
            throw new VisageException(ErrorCode.INVALID_REQUEST, "the body is not valid JSON");
        }
    }

    private static JsonNode checkObject(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new VisageException(ErrorCode.INVALID_REQUEST, "the body must be a JSON object");
        }
        return json;
    }

    private static JsonNode parseJson(byte[] body) {
        try {
            return checkObject(JSON_BODY.readTree(body));
        } catch (IOException e) {
            throw new VisageException(ErrorCode.INVALID_REQUEST, "the body is not valid JSON");
        }
    }

    private static void checkFields(JsonNode json, Set<String> allowed) {
        json.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                // A field with an empty (or blank) name cannot be named back as a field.
                throw new VisageException(
                        ErrorCode.INVALID_REQUEST, "unknown field \"" + name + "\"", name.isBlank() ? null : name);
            }
        });
    }

    private static Operation operation(JsonNode json) {
        String value = text(json, "operation");
        if (value == null) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "operation is required", "operation");
        }
        return Operation.fromWire(value);
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new VisageException(ErrorCode.INVALID_PARAM, field + " must be a string", field);
        }
        return node.asText();
    }

    /** The data URI left in the body text at {@code [start, end)} (see {@link #parseLeavingImage}), decoded from there. */
    private byte[] dataUri(String text, int start, int end) {
        Matcher data = DATA_URI.matcher(text).region(start, end);
        data.lookingAt();
        if ((long) (end - data.end()) * 3 / 4 > config.maxImageBytes() + 2) {
            throw tooLarge();
        }
        byte[] plain = Base64Text.decodePlain(text, data.end(), end);
        if (plain != null) {
            return plain;
        }
        for (int i = data.end(); i < end; i++) {
            if (text.charAt(i) < 0x20) {
                throw new VisageException(ErrorCode.INVALID_REQUEST, "the body is not valid JSON");
            }
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(data.end(), end));
        } catch (IllegalArgumentException e) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "face_image is not valid base64", "face_image");
        }
    }

    /** The bytes of face_image: a data URI decoded here, or an https URL fetched under the egress rules. */
    private byte[] faceImage(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "face_image is required", "face_image");
        }
        if (!node.isTextual()) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "face_image must be a URL or a data URI", "face_image");
        }
        String value = node.asText();
        Matcher data = DATA_URI.matcher(value);
        if (data.lookingAt()) {
            String encoded = value.substring(data.end());
            if ((long) encoded.length() * 3 / 4 > config.maxImageBytes() + 2) {
                throw tooLarge();
            }
            try {
                return Base64.getMimeDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                throw new VisageException(ErrorCode.INVALID_PARAM, "face_image is not valid base64", "face_image");
            }
        }
        URI url;
        try {
            url = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "face_image must be a URL or a data URI", "face_image");
        }
        return fetcher.fetch(url, config.maxImageBytes(), "face_image");
    }

    private Photo photo(byte[] bytes, String field) {
        if (bytes.length > config.maxImageBytes()) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw new VisageException(ErrorCode.IMAGE_UNREADABLE, "the photo is empty", field);
        }
        return Photo.received(bytes, inspector.inspect(bytes));
    }

    private VisageException tooLarge() {
        return new VisageException(
                ErrorCode.IMAGE_TOO_LARGE,
                "the photo is larger than " + config.maxImageBytes() + " bytes",
                "face_image");
    }

    private static ImageFormat uploadFormat(String contentType) {
        for (ImageFormat format : ImageFormat.values()) {
            if (format.mediaType().equalsIgnoreCase(contentType)
                    || (format == ImageFormat.HEIC && contentType.equalsIgnoreCase("image/heif"))) {
                return format;
            }
        }
        throw new VisageException(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "content_type must be image/jpeg, image/png, image/heic or image/webp",
                "content_type");
    }

    private URI webhook(JsonNode json) {
        String value = text(json, "webhook");
        if (value == null) {
            return null;
        }
        if (config.webhooks().secret().filter(s -> !s.isBlank()).isEmpty()) {
            throw new VisageException(
                    ErrorCode.INVALID_PARAM,
                    "client webhooks are signed, and no secret is "
                            + "configured: set visage.webhooks.secret (VISAGE_WEBHOOKS_SECRET) to a whsec_ secret",
                    "webhook");
        }
        try {
            URI url = URI.create(value);
            egress.check(url, "webhook"); // and again, pinned, at every delivery
            return url;
        } catch (IllegalArgumentException e) {
            throw new VisageException(ErrorCode.INVALID_PARAM, "webhook must be an https URL", "webhook");
        }
    }

    /** {@code webhook_events_filter}: which events the {@code webhook} hears of; null (the job's end) if absent. */
    private static Set<WebhookEvent> webhookEvents(JsonNode json, URI webhook) {
        JsonNode node = json.get("webhook_events_filter");
        if (node == null || node.isNull()) {
            return null;
        }
        String field = "webhook_events_filter";
        if (webhook == null) {
            throw new VisageException(ErrorCode.INVALID_PARAM, field + " needs a webhook to send the events to", field);
        }
        String wanted = "webhook_events_filter must be a non-empty list of started, output, completed";
        if (!node.isArray() || node.isEmpty()) {
            throw new VisageException(ErrorCode.INVALID_PARAM, wanted, field);
        }
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        for (JsonNode event : node) {
            events.add(WebhookEvent.fromWire(event.isTextual() ? event.textValue() : "")
                    .orElseThrow(() -> new VisageException(ErrorCode.INVALID_PARAM, wanted, field)));
        }
        return events;
    }

    private static Map<String, String> metadata(JsonNode json) {
        JsonNode node = json.get("metadata");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject() || node.size() > MAX_METADATA_KEYS) {
            throw new VisageException(
                    ErrorCode.INVALID_PARAM,
                    "metadata must be an object of at most " + MAX_METADATA_KEYS + " string values",
                    "metadata");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()
                    || entry.getKey().length() > MAX_METADATA_KEY
                    || entry.getValue().asText().length() > MAX_METADATA_VALUE) {
                throw new VisageException(
                        ErrorCode.INVALID_PARAM,
                        "metadata keys are at most " + MAX_METADATA_KEY + " characters and values strings of at most "
                                + MAX_METADATA_VALUE,
                        "metadata." + entry.getKey());
            }
            metadata.put(entry.getKey(), entry.getValue().asText());
        }
        return metadata;
    }
}
