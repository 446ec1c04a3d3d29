package app.visage.support;

import app.visage.local.LocalHttpServer;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Local mode's HTTP API on a free loopback port, for tests that go through real HTTP. */
public final class LocalApi {
    private static final Set<String> ENDED = Set.of("succeeded", "failed", "canceled", "expired");
    /** Every answer through local mode is checked against docs/openapi.json. */
    private static final OpenApiFilter OPENAPI = new OpenApiFilter();

    private LocalApi() {}

    public static RequestSpecification given(LocalHttpServer server) {
        try {
            return RestAssured.given()
                    .baseUri("http://127.0.0.1")
                    .port(server.start("127.0.0.1", 0))
                    .filter(OPENAPI);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST /v1/jobs with a JSON body, expecting 202: the new job's id. */
    public static String submit(LocalHttpServer server, Map<String, Object> body) {
        return submit(given(server), body);
    }

    /** The same through {@code api}: {@link #given} with a tenant's key, say. */
    public static String submit(RequestSpecification api, Map<String, Object> body) {
        return api.contentType("application/json")
                .body(body)
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** A POST /v1/jobs body: {@code operation} by {@code provider} of the JPEG test photo {@code photo}. */
    public static Map<String, Object> jobRequest(String operation, String provider, String photo) {
        return jobRequest(operation, provider, photo, Map.of());
    }

    /** The same with {@code more} fields (a webhook, params). */
    public static Map<String, Object> jobRequest(String operation, String provider, String photo, Map<String, ?> more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", operation);
        body.put("provider", provider);
        body.put("face_image", TestPhotos.dataUri(photo, "image/jpeg"));
        body.putAll(more);
        return body;
    }

    /** The bytes of a job's output {@code index}: its presigned URL fetched, or its data URI decoded. */
    public static byte[] outputBytes(JsonPath job, int index) {
        String url = job.getString("outputs[" + index + "].url");
        if (url.startsWith("data:")) {
            return Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
        }
        return RestAssured.given()
                .urlEncodingEnabled(false)
                .get(URI.create(url))
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
    }

    /** Polls GET /v1/jobs/{id} until the job has ended, for at most 30 s. */
    public static JsonPath awaitEnd(LocalHttpServer server, String id) {
        return awaitEnd(() -> given(server), id);
    }

    /** As {@link #awaitEnd(LocalHttpServer, String)}, asking as the tenant of {@code apiKey}. */
    public static JsonPath awaitEnd(LocalHttpServer server, String id, String apiKey) {
        return awaitEnd(() -> given(server).header("Authorization", "Bearer " + apiKey), id);
    }

    /** Polls GET /v1/jobs/{id}, as the tenant of {@code apiKey}, until the job is in one of {@code statuses}. */
    public static JsonPath awaitStatus(LocalHttpServer server, String id, String apiKey, String... statuses) {
        return await(() -> given(server).header("Authorization", "Bearer " + apiKey), id, Set.of(statuses));
    }

    private static JsonPath awaitEnd(Supplier<RequestSpecification> api, String id) {
        return await(api, id, ENDED);
    }

    private static JsonPath await(Supplier<RequestSpecification> api, String id, Set<String> statuses) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            JsonPath job = api.get()
                    .get("/v1/jobs/" + id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if (statuses.contains(job.getString("status")) || Instant.now().isAfter(deadline)) {
                return job;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return job;
            }
        }
    }
}
