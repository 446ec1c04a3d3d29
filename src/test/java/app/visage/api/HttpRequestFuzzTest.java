package app.visage.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.support.FuzzInput;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpRequest#of} on API Gateway events built from fuzz data: a request the functions can read,
 * or a 404/400 refusal, and nothing else. Input lines: route key, method, raw path, headers
 * ({@code name: value} pairs separated by '|'), the {@code id} path parameter, "b64" for a base64 body;
 * then the body. An empty line leaves the field out.
 */
class HttpRequestFuzzTest {

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void decodesOrRefuses(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        String routeKey = in.lineOrNull();
        String method = in.lineOrNull();
        String rawPath = in.lineOrNull();
        Map<String, String> headers = headers(in.line());
        String id = in.lineOrNull();
        boolean base64 = in.line().equals("b64");
        byte[] body = in.rest();
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRouteKey(routeKey)
                .withRawPath(rawPath)
                .withHeaders(headers.isEmpty() ? null : headers)
                .withPathParameters(id == null ? null : Map.of("id", id))
                .withRequestContext(
                        method == null
                                ? null
                                : APIGatewayV2HTTPEvent.RequestContext.builder()
                                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                                .withMethod(method)
                                                .build())
                                        .build())
                .withIsBase64Encoded(base64)
                .withBody(body.length == 0 ? null : new String(body, StandardCharsets.UTF_8))
                .build();
        readLikeTheFunctions(event);
    }

    /** Decodes the event and reads every part of it a function reads; refusals must be 404 or 400. */
    static void readLikeTheFunctions(APIGatewayV2HTTPEvent event) {
        HttpRequest request;
        try {
            request = HttpRequest.of(event);
        } catch (VisageException e) {
            FuzzInput.assertRefusal(e, Set.of(ErrorCode.NOT_FOUND, ErrorCode.INVALID_REQUEST));
            return;
        }
        assertThat(request.route()).isNotNull();
        assertThat(request.mediaType()).isEqualTo(request.mediaType().trim());
        byte[] body = request.body();
        assertThat(body).isNotNull();
        request.text().ifPresent(text -> assertThat(body).isEqualTo(text.getBytes(StandardCharsets.UTF_8)));
        request.header("content-type");
        request.query("token");
        for (String name : new String[] {"id", "provider", "jobId"}) {
            try {
                assertThat(request.pathParameter(name)).isNotNull();
            } catch (VisageException e) {
                FuzzInput.assertRefusal(e, Set.of(ErrorCode.NOT_FOUND));
            }
        }
    }

    private static Map<String, String> headers(String line) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : line.split("\\|")) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
                headers.put(pair.substring(0, colon), pair.substring(colon + 1).trim());
            }
        }
        return headers;
    }
}
