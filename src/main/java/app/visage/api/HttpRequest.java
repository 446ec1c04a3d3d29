package app.visage.api;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The parts of an API Gateway HTTP API (v2) event that Visage reads, decoded once. */
public final class HttpRequest {
    private final Route route;
    private final Map<String, String> pathParameters;
    private final Map<String, String> headers;
    private final Map<String, String> query;
    private final Map<String, String> jwtClaims;
    /** The body as the event carried it when it was text (JSON): kept as is, turned into bytes only if asked. */
    private final String text;

    private byte[] body;
    private Map<String, Multipart.Part> parts;

    private HttpRequest(
            Route route,
            Map<String, String> pathParameters,
            Map<String, String> headers,
            Map<String, String> query,
            Map<String, String> jwtClaims,
            String text,
            byte[] body) {
        this.route = route;
        this.pathParameters = pathParameters;
        this.headers = headers;
        this.query = query;
        this.jwtClaims = jwtClaims;
        this.text = text;
        this.body = body;
    }

    /** Decodes the event; a route this API does not have is 404 not_found. */
    public static HttpRequest of(APIGatewayV2HTTPEvent event) {
        if (event == null) {
            throw new VisageException(ErrorCode.INVALID_REQUEST, "no event");
        }
        String method =
                event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                        ? event.getRequestContext().getHttp().getMethod()
                        : null;
        Route.Match match = Optional.ofNullable(event.getRouteKey())
                .flatMap(Route::byRouteKey)
                .map(r -> new Route.Match(r, event.getPathParameters() == null ? Map.of() : event.getPathParameters()))
                .or(() -> method == null || event.getRawPath() == null
                        ? Optional.empty()
                        : Route.match(method, event.getRawPath()))
                .orElseThrow(() -> new VisageException(ErrorCode.NOT_FOUND, "no such route"));
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (event.getHeaders() != null) {
            headers.putAll(event.getHeaders());
        }
        String raw = event.getBody();
        boolean base64 = raw != null && event.getIsBase64Encoded();
        return new HttpRequest(
                match.route(),
                match.pathParameters(),
                headers,
                event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters(),
                jwtClaims(event),
                base64 ? null : raw,
                raw == null ? new byte[0] : base64 ? decodeBase64(raw) : null);
    }

    /** The claims API Gateway's JWT authorizer verified; only API Gateway can put them in the event. */
    private static Map<String, String> jwtClaims(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null
                || context.getAuthorizer() == null
                || context.getAuthorizer().getJwt() == null
                || context.getAuthorizer().getJwt().getClaims() == null) {
            return Map.of();
        }
        return context.getAuthorizer().getJwt().getClaims();
    }

    private static byte[] decodeBase64(String raw) {
        try {
            return Base64Text.decode(raw, 0, raw.length());
        } catch (IllegalArgumentException e) {
            throw new VisageException(ErrorCode.INVALID_REQUEST, "the body is not valid base64");
        }
    }

    public Route route() {
        return route;
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new VisageException(ErrorCode.NOT_FOUND, "no such route");
        }
        return value;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    public Optional<String> jwtClaim(String name) {
        return Optional.ofNullable(jwtClaims.get(name));
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The names of the query string's parameters. */
    public Set<String> queryNames() {
        return query.keySet();
    }

    /** The media type without parameters, lower-cased; empty when absent. */
    public String mediaType() {
        return header("content-type")
                .map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    public byte[] body() {
        if (body == null) {
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        return body;
    }

    /**
     * The parts of a multipart body, read once for all who ask (the Idempotency-Key's fingerprint and the
     * request itself), so a photo part is copied out of the body once.
     */
    Map<String, Multipart.Part> parts() {
        if (parts == null) {
            parts = Multipart.parse(header("content-type").orElse(""), body());
        }
        return parts;
    }

    /** The body as text, when the event carried it as text (not base64): read it from here to avoid a copy. */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }
}
