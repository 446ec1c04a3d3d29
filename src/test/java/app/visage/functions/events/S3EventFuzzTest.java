package app.visage.functions.events;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.model.Keys;
import app.visage.json.Json;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;

/**
 * The S3 event the upload function gets: decoded with {@link Json#MAPPER}, its created keys read and
 * matched to jobs as the function does. Undecodable JSON is an IOException; whatever decodes is read
 * without any other exception. The input is the event's JSON.
 */
class S3EventFuzzTest {

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void keysOrUndecodable(byte[] json) {
        S3EventNotification event;
        try {
            event = Json.MAPPER.readValue(json, S3EventNotification.class);
        } catch (IOException e) {
            return;
        }
        if (event == null) {
            return; // the JSON null: the function answers an empty list for it
        }
        for (String key : event.createdKeys()) {
            assertThat(key).isNotNull();
            Keys.uploadedJob(key).ifPresent(id -> assertThat(key).startsWith(BucketLayout.UPLOADS + id + "/face."));
        }
    }
}
