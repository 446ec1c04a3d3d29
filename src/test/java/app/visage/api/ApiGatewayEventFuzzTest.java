package app.visage.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;

/**
 * The API Gateway (HTTP API v2) event JSON the submit, status and webhook functions get: decoded as Funqy's
 * Lambda binding decodes it (Jackson, unknown properties ignored, property names case-insensitive), then
 * read as the functions read it (see {@link HttpRequestFuzzTest#readLikeTheFunctions}). Undecodable JSON is
 * an IOException. The input is the event's JSON.
 */
class ApiGatewayEventFuzzTest {
    private static final ObjectMapper LAMBDA = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .addModule(new JavaTimeModule())
            .build();

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void requestOrRefusal(byte[] json) {
        APIGatewayV2HTTPEvent event;
        try {
            event = LAMBDA.readValue(json, APIGatewayV2HTTPEvent.class);
        } catch (IOException e) {
            return;
        }
        HttpRequestFuzzTest.readLikeTheFunctions(event);
    }
}
