package app.visage.functions;

import app.visage.functions.events.S3EventNotification;
import app.visage.functions.events.ScheduledEvent;
import app.visage.json.Json;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checked-in samples of events/, posted to the Lambda mock event server as AWS would invoke, or decoded
 * as Funqy decodes them for a test that calls the functions' beans itself.
 */
public final class SampleEvents {
    /** As Funqy's Lambda binding reads API Gateway events: unknown properties ignored, names case-insensitive. */
    private static final ObjectMapper LAMBDA = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .addModule(new JavaTimeModule())
            .build();

    /** A job id the samples carry, replaced by a real one where a test needs a job to exist. */
    static final String SAMPLE_JOB_ID = "job_sampleaaaaaaaaaaaaaaaaaaaa";

    private SampleEvents() {}

    /** The sample {@code name} of events/, as checked in. */
    public static String read(String name) {
        try {
            return Files.readString(Path.of("events", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An API Gateway event from its JSON: a sample as {@link #read} gives it, with any replacements made. */
    static APIGatewayV2HTTPEvent apiEvent(String json) {
        try {
            return LAMBDA.readValue(json, APIGatewayV2HTTPEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScheduledEvent scheduledEvent() {
        try {
            return Json.MAPPER.readValue(read("cleanup-scheduled.json"), ScheduledEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object-created sample's first record, for {@code key} ({@code size} bytes): one upload landing. */
    static S3EventNotification objectCreated(String key, long size) {
        try {
            ObjectNode sample = (ObjectNode) Json.MAPPER.readTree(read("upload-object-created.json"));
            ObjectNode record = (ObjectNode) sample.get("Records").get(0);
            record.withObject("/s3/object").put("key", key).put("size", size);
            sample.putArray("Records").add(record);
            return Json.MAPPER.treeToValue(sample, S3EventNotification.class);
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
