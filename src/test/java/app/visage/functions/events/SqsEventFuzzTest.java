package app.visage.functions.events;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.Work;
import app.visage.json.Json;
import app.visage.messages.UnreadableMessage;
import app.visage.messages.WorkMessages;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;

/**
 * The SQS event the worker gets, decoded with {@link Json#MAPPER}, and each record read as the worker reads it: its
 * body as work and its receive count. Undecodable JSON is an IOException; a body that is no work an {@link
 * UnreadableMessage}; a receive count that is none an IllegalArgumentException; nothing else. Work that reads
 * writes back as itself. The input is the event's JSON.
 */
class SqsEventFuzzTest {

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void recordsOrUndecodable(byte[] json) {
        SqsEvent event;
        try {
            event = Json.MAPPER.readValue(json, SqsEvent.class);
        } catch (IOException e) {
            return;
        }
        if (event == null || event.records() == null) {
            return; // the worker answers no failures
        }
        for (SqsEvent.Record record : event.records()) {
            if (record == null) {
                continue;
            }
            try {
                Work work = WorkMessages.decode(record.body());
                assertThat(WorkMessages.decode(WorkMessages.encode(work))).isEqualTo(work);
            } catch (UnreadableMessage e) {
                assertThat(e.getMessage()).isNotBlank();
            }
            try {
                assertThat(record.receiveCount()).isPositive();
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }
}
