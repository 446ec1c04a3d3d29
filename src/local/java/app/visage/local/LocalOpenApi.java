package app.visage.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/openapi.json}: the API's OpenAPI document (docs/openapi.json, which the build puts on local mode's
 * class path), without a key. Local mode only: the Lambda artifact neither has the file nor this route.
 */
final class LocalOpenApi {
    static final String PATH = "/v1/openapi.json";
    static final String RESOURCE = "app/visage/local/openapi.json";

    private LocalOpenApi() {}

    static boolean owns(String method, String path) {
        return method.equals("GET") && path.equals(PATH);
    }

    /** The document as the file has it, byte for byte; empty when the build left it out. */
    static Optional<APIGatewayV2HTTPResponse> serve() {
        try (InputStream in = LocalOpenApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/json", "cache-control", "no-cache"))
                    .withBody(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .withIsBase64Encoded(false)
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
