package app.visage.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * API Gateway HTTP API (payload 2.0) events as AWS hands them to the functions, built once per bench
 * so that only the function's own work is timed: JSON bodies as text, multipart bodies base64-encoded.
 */
final class ApiEvents {
    static final String BOUNDARY = "visage-bench-boundary-7d1f";

    private ApiEvents() {}

    /** POST /v1/jobs with the photo as a data URI inside the JSON body. */
    static APIGatewayV2HTTPEvent submitDataUri(byte[] jpeg, String provider) {
        String body = "{\"operation\":\"head_shot\",\"provider\":\"" + provider
                + "\",\"face_image\":\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(jpeg) + "\"}";
        return event("POST", "/v1/jobs", null, "application/json", body, false);
    }

    /** POST /v1/jobs as multipart: a face_image file part and a request JSON part. */
    static APIGatewayV2HTTPEvent submitMultipart(byte[] jpeg, String provider) {
        return event(
                "POST",
                "/v1/jobs",
                null,
                "multipart/form-data; boundary=" + BOUNDARY,
                Base64.getEncoder()
                        .encodeToString(
                                multipart(jpeg, "{\"operation\":\"head_shot\",\"provider\":\"" + provider + "\"}")),
                true);
    }

    static byte[] multipart(byte[] jpeg, String requestJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + 512);
        out.writeBytes(
                ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"face_image\"; filename=\"face.jpg\"\r\n"
                                + "Content-Type: image/jpeg\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(jpeg);
        out.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"request\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + requestJson + "\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** GET /v1/jobs/{id}. */
    static APIGatewayV2HTTPEvent getJob(String id) {
        return event("GET", "/v1/jobs/" + id, Map.of("id", id), null, null, false);
    }

    private static APIGatewayV2HTTPEvent event(
            String method,
            String path,
            Map<String, String> pathParameters,
            String contentType,
            String body,
            boolean base64) {
        String routeKey = method + (pathParameters == null ? " /v1/jobs" : " /v1/jobs/{id}");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(
                        contentType == null
                                ? Map.of("host", "bench.local")
                                : Map.of("host", "bench.local", "content-type", contentType))
                .withPathParameters(pathParameters)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("bench")
                        .withRouteKey(routeKey)
                        .withStage("$default")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1")
                                .withUserAgent("visage-bench")
                                .build())
                        .build())
                .withBody(body)
                .withIsBase64Encoded(base64)
                .build();
    }
}
