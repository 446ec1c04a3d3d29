package app.visage.functions.events;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.json.Json;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;

/**
 * The EventBridge scheduled event the cleanup function gets, decoded with {@link Json#MAPPER}: an event,
 * or an IOException for JSON that is not one, and nothing else. The input is the event's JSON.
 */
class ScheduledEventFuzzTest {

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void eventOrUndecodable(byte[] json) throws IOException {
        ScheduledEvent event;
        try {
            event = Json.MAPPER.readValue(json, ScheduledEvent.class);
        } catch (IOException e) {
            return;
        }
        if (event != null) {
            assertThat(Json.MAPPER.readValue(Json.write(event), ScheduledEvent.class))
                    .isEqualTo(event);
        }
    }
}
