package app.visage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import app.visage.support.LocalApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The web console's static files through local mode's HTTP server: types, headers, and nothing else reachable. */
@QuarkusTest
class LocalConsoleTest {

    @Inject
    LocalHttpServer server;

    @Inject
    LocalS3 s3;

    @ParameterizedTest
    @CsvSource({
        "/, text/html; charset=utf-8, <script type=\"module\" src=\"/console/console.js\">",
        "/console/index.html, text/html; charset=utf-8, <title>Visage console</title>",
        "/console/console.js, text/javascript; charset=utf-8, from './schema.js'",
        "/console/schema.js, text/javascript; charset=utf-8, export function createJobForm",
        "/console/api.js, text/javascript; charset=utf-8, export function createJob",
        "/console/console.css, text/css; charset=utf-8, .drop",
    })
    void servesTheConsoleFiles(String path, String contentType, String excerpt) throws IOException {
        String s3Origin = "http://" + s3.endpoint().getRawAuthority();
        console()
                .get(path)
                .then()
                .statusCode(200)
                .header("content-type", equalTo(contentType))
                .header("cache-control", equalTo("no-cache"))
                .header("x-content-type-options", equalTo("nosniff"))
                .header("content-security-policy", containsString("default-src 'self';"))
                // The outputs' presigned URLs are on the embedded S3's port, and only they may be shown.
                .header("content-security-policy", containsString("img-src 'self' data: blob: " + s3Origin + ";"))
                .body(containsString(excerpt));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/console/../application.properties",
                "/console/..%2fapplication.properties",
                "/console/%2e%2e/application.properties",
                "/console/../../application.properties",
                "/console//application.properties",
                "/console/.%2e/application.properties",
                "/console/",
                "/console/console",
                "/console/Console.js",
                "/console/missing.js",
                "/console/index.html/",
                "/console/app/visage/local/LocalConsole.class",
                "/index.html",
            })
    void servesNothingElse(String path) throws IOException {
        // The class path does hold the file the traversals aim at: a 404 means refused, not absent.
        assertThat(LocalConsole.class.getClassLoader().getResource("application.properties"))
                .isNotNull();
        String answer = rawGet(path);
        assertThat(answer).startsWith("HTTP/1.1 404 ").contains("\"code\":\"not_found\"");
        assertThat(answer.toLowerCase(Locale.ROOT)).doesNotContain("visage.", "content-security-policy");
    }

    @Test
    void leavesTheApiToTheApi() throws IOException {
        console().post("/").then().statusCode(404).body("error.code", equalTo("not_found"));
        console().get("/v1/openapi.json").then().statusCode(200).body("openapi", equalTo("3.1.0"));
        LocalApi.given(server)
                .get("/v1/jobs/job_00000000000000000000000000")
                .then()
                .statusCode(404)
                .header("content-type", equalTo("application/json"));
    }

    /** Requests to local mode's server as a browser makes them: the console is no part of the API's document. */
    private RequestSpecification console() throws IOException {
        return RestAssured.given().baseUri("http://127.0.0.1").port(server.start("127.0.0.1", 0));
    }

    /** A request with its path sent byte for byte, as no HTTP client library would (they normalize dot segments). */
    private String rawGet(String path) throws IOException {
        int port = server.start("127.0.0.1", 0);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
