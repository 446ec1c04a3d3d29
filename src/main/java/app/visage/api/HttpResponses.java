package app.visage.api;

import app.visage.errors.ErrorCode;
import app.visage.errors.RateLimited;
import app.visage.errors.VisageException;
import app.visage.json.Json;
import app.visage.logs.LoggableException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/** JSON answers in the shape API Gateway expects back from a function. */
public final class HttpResponses {
    private static final Logger LOG = Logger.getLogger(HttpResponses.class);

    private HttpResponses() {}

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return jsonText(status, new String(Json.write(body), StandardCharsets.UTF_8));
    }

    /** An answer whose JSON is already written (a replayed one). */
    static APIGatewayV2HTTPResponse jsonText(int status, String body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json", "cache-control", "no-store"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    public static APIGatewayV2HTTPResponse error(VisageException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code().wire());
        error.put("message", e.getMessage());
        if (e.field() != null) {
            error.put("field", e.field());
        }
        APIGatewayV2HTTPResponse response = json(e.code().httpStatus(), Map.of("error", error));
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            response.setHeaders(Map.of(
                    "content-type", "application/json", "cache-control", "no-store", "www-authenticate", "Bearer"));
        }
        if (e instanceof RateLimited limited) {
            response.setHeaders(Map.of(
                    "content-type",
                    "application/json",
                    "cache-control",
                    "no-store",
                    "retry-after",
                    Long.toString(limited.retryAfterSeconds())));
        }
        return response;
    }

    /** Our own fault: logged without the request or foreign messages, answered without details. */
    public static APIGatewayV2HTTPResponse internalError(RuntimeException e) {
        LOG.errorf(LoggableException.of(e), "request failed: %s", e.getClass().getName());
        return error(new VisageException(ErrorCode.INTERNAL, "internal error"));
    }

    /** A route deployed to the wrong function: answered as a route this function does not have. */
    public static APIGatewayV2HTTPResponse notServedHere(HttpRequest request) {
        return error(new VisageException(ErrorCode.NOT_FOUND, "no such route"));
    }

    /** Decodes the event, runs {@code handler}, and answers every failure with its error code. */
    public static APIGatewayV2HTTPResponse serve(
            com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent event,
            Function<HttpRequest, APIGatewayV2HTTPResponse> handler) {
        try {
            return handler.apply(HttpRequest.of(event));
        } catch (VisageException e) {
            return error(e);
        } catch (RuntimeException e) {
            return internalError(e);
        }
    }
}
