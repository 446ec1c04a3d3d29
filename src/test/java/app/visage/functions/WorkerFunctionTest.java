package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.functions.events.SqsEvent;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Work;
import app.visage.json.Json;
import app.visage.logs.LogLines;
import app.visage.messages.WorkMessages;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The worker through its sample SQS batch, as Lambda's event source mapping invokes it. What becomes of work that
 * reads is DoWork's, tested with it; here: the sample is the work it shows, and a message that is no work is
 * reported by its id, to come back and, in the end, land in the dead-letter queue (and counted, if unreadable).
 */
@QuarkusTest
@TestProfile(ExportProfiles.Worker.class)
class WorkerFunctionTest {
    private static final String WAKE_ID = "2e1424d4-f796-459a-8184-9c92662be6da";
    private static final String CONFIRM_ID = "c80e8021-a70a-42c7-a470-796e1186f753";

    @Test
    void theSampleBatchHoldsAWakeAndAConfirmationOnItsSecondDelivery() throws IOException {
        SqsEvent event = Json.MAPPER.readValue(SampleEvents.read("worker-sqs-batch.json"), SqsEvent.class);
        JobId sample = JobId.of(SampleEvents.SAMPLE_JOB_ID);

        assertThat(event.records()).extracting(SqsEvent.Record::messageId).containsExactly(WAKE_ID, CONFIRM_ID);
        assertThat(event.records())
                .extracting(r -> WorkMessages.decode(r.body()))
                .containsExactly(
                        Work.wake(sample, Instant.parse("2026-12-03T19:05:00Z")),
                        Work.confirm(sample, "123", Instant.parse("2026-12-03T19:05:02.412Z")));
        assertThat(event.records()).extracting(SqsEvent.Record::receiveCount).containsExactly(1, 2);
    }

    @Test
    void messagesThatAreNoWorkAreReportedByTheirIds() throws IOException {
        ObjectNode batch = (ObjectNode) Json.MAPPER.readTree(SampleEvents.read("worker-sqs-batch.json"));
        ((ObjectNode) batch.get("Records").get(0)).put("body", "not work");
        ((ObjectNode) batch.get("Records").get(1)).put("body", newerWake());

        List<String> metrics = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                metrics.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger.getLogger(LogLines.EMF_LOGGER).addHandler(capture);
        JsonPath answer;
        try {
            answer = SampleEvents.invoke(batch.toString());
        } finally {
            Logger.getLogger(LogLines.EMF_LOGGER).removeHandler(capture);
        }

        assertThat(answer.getList("batchItemFailures.itemIdentifier", String.class))
                .containsExactlyInAnyOrder(WAKE_ID, CONFIRM_ID);
        // "not work" on its first receipt is counted as dead-lettered; a newer build's message is not.
        assertThat(metrics).filteredOn(l -> l.contains("\"DeadLettered\":1")).hasSize(1);
    }

    @Test
    void whateverTheWorkerReportsNamesMessagesOfTheBatch() {
        JsonPath answer = SampleEvents.invoke(SampleEvents.read("worker-sqs-batch.json"));

        assertThat(answer.getList("batchItemFailures.itemIdentifier", String.class))
                .isSubsetOf(List.of(WAKE_ID, CONFIRM_ID));
    }

    @Test
    void aBatchOfNoRecordsHasNoFailures() {
        assertThat(SampleEvents.invoke("{\"Records\":[]}").getList("batchItemFailures"))
                .isEmpty();
    }

    private static String newerWake() {
        return "{\"schema_version\":2,\"kind\":\"wake\",\"job_id\":\"" + SampleEvents.SAMPLE_JOB_ID
                + "\",\"at\":\"2026-12-03T19:05:00Z\"}";
    }
}
