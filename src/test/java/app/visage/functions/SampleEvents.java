package app.visage.functions;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checked-in samples of events/, posted to the Lambda mock event server as AWS would invoke. */
final class SampleEvents {
    /** A job id the samples carry, replaced by a real one where a test needs a job to exist. */
    static final String SAMPLE_JOB_ID = "job_sampleaaaaaaaaaaaaaaaaaaaa";

    private SampleEvents() {}

    static String read(String name) {
        try {
            return Files.readString(Path.of("events", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Invokes the exported function with {@code event} through the mock event server; answers its output. */
    static JsonPath invoke(String event) {
        return RestAssured.given()
                .contentType("application/json")
                .body(event)
                .post("/")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String body(JsonPath response) {
        return response.getString("body");
    }
}
