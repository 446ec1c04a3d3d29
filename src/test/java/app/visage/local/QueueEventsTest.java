package app.visage.local;

import static app.visage.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.functions.SampleEvents;
import app.visage.functions.WorkerFunction;
import app.visage.functions.events.SqsBatchResponse;
import app.visage.functions.events.SqsEvent;
import app.visage.json.Json;
import app.visage.support.WorkQueues;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Local mode's delivery of the work queue to the worker, against the embedded ElasticMQ, held to what Lambda's
 * event source mapping does: done messages deleted, failed ones back after the visibility timeout (1 s here) and in
 * the dead-letter queue after two deliveries; a worker that throws, or answers about a message the batch does not
 * hold, has nothing deleted.
 */
@QuarkusTest
@TestProfile(QueueEventsTest.QuickRedelivery.class)
class QueueEventsTest {
    public static class QuickRedelivery implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("visage.local.visibility-timeout", "PT1S", "visage.local.max-receives", "2");
        }
    }

    @Inject
    QueueEvents events;

    @Inject
    WorkerFunction worker;

    @Inject
    LocalSqs local;

    @Inject
    SqsClient sqs;

    private WorkQueues queues;
    /** Every record the worker was given, in the order it was given them. */
    private final List<SqsEvent.Record> delivered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void emptyQueues() {
        queues = WorkQueues.of(local, sqs);
        queues.purge();
    }

    @AfterEach
    void stopDelivering() {
        events.stop();
    }

    @Test
    void aMessageThatIsNoWorkFailsEachDeliveryThenMovesToTheDeadLetterQueue() {
        String id = queues.sendRaw("not work");

        events.start(recorded(worker::worker));
        List<WorkQueues.Received> dead = new ArrayList<>();
        await("the message in the dead-letter queue", () -> {
            dead.addAll(queues.drainDeadLetters());
            return !dead.isEmpty();
        });
        events.stop();

        assertThat(dead).singleElement().satisfies(m -> assertThat(m.body()).isEqualTo("not work"));
        assertThat(delivered).extracting(SqsEvent.Record::messageId).containsOnly(id);
        assertThat(delivered).extracting(SqsEvent.Record::receiveCount).containsExactly(1, 2);
        assertThat(queues.counts().empty()).isTrue();
    }

    @Test
    void messagesTheWorkerDidAreDeleted() {
        List<String> ids = List.of(queues.sendRaw("a"), queues.sendRaw("b"), queues.sendRaw("c"));

        events.start(recorded(answering(r -> false)));
        await("three deliveries", () -> delivered.size() >= 3);
        events.stop(); // after the batch under way has had its messages deleted

        assertThat(delivered).extracting(SqsEvent.Record::messageId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(queues.counts().empty()).isTrue();
        assertThat(queues.deadLetterCounts().empty()).isTrue();
    }

    @Test
    void onlyTheMessagesTheAnswerNamesComeBack() {
        String done = queues.sendRaw("done");
        String failed = queues.sendRaw("failed once");

        events.start(recorded(answering(r -> r.body().equals("failed once") && r.receiveCount() == 1)));
        await("the failed message's second delivery", () -> deliveriesOf(failed) == 2);
        events.stop();

        assertThat(deliveriesOf(done)).isEqualTo(1);
        assertThat(queues.counts().empty()).isTrue();
    }

    @Test
    void aWorkerThatThrowsHasNoMessageDeleted() {
        String a = queues.sendRaw("a");
        String b = queues.sendRaw("b");

        events.start(recorded(event -> {
            if (event.records().stream().anyMatch(r -> r.receiveCount() == 1)) {
                throw new IllegalStateException("the worker's init failed");
            }
            return new SqsBatchResponse(List.of());
        }));
        await("both messages delivered again", () -> deliveriesOf(a) == 2 && deliveriesOf(b) == 2);
        events.stop();

        assertThat(delivered).filteredOn(r -> r.receiveCount() == 2).hasSize(2);
        assertThat(queues.counts().empty()).isTrue();
    }

    @Test
    void anAnswerAboutAMessageNotInTheBatchFailsTheWholeBatch() {
        String id = queues.sendRaw("a");

        events.start(recorded(event -> new SqsBatchResponse(
                event.records().getFirst().receiveCount() == 1
                        ? List.of(new SqsBatchResponse.ItemFailure("no-such-message"))
                        : List.of())));
        await("the message delivered again", () -> deliveriesOf(id) == 2);
        events.stop();

        assertThat(queues.counts().empty()).isTrue();
    }

    @Test
    void theEventIsShapedAsLambdaDeliversIt() throws IOException, NoSuchAlgorithmException {
        String body = "{\"schema_version\":1,\"kind\":\"wake\",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\","
                + "\"at\":\"2026-12-03T19:05:00Z\"}";
        String id = queues.sendRaw(body);

        events.start(recorded(answering(r -> false)));
        await("the delivery", () -> !delivered.isEmpty());
        events.stop();

        SqsEvent.Record record = delivered.getFirst();
        JsonNode sample = Json.MAPPER
                .readTree(SampleEvents.read("worker-sqs-batch.json"))
                .get("Records")
                .get(0);
        JsonNode shaped = Json.MAPPER.valueToTree(record);
        assertThat(names(shaped)).isEqualTo(names(sample));
        assertThat(names(shaped.get("attributes"))).isEqualTo(names(sample.get("attributes")));
        assertThat(record.messageId()).isEqualTo(id);
        assertThat(record.body()).isEqualTo(body);
        assertThat(record.receiveCount()).isEqualTo(1);
        assertThat(record.md5OfBody())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8))));
        assertThat(record.eventSource()).isEqualTo("aws:sqs");
        assertThat(record.eventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:visage-work");
        assertThat(record.awsRegion()).isEqualTo("us-east-1");
        assertThat(Instant.ofEpochMilli(Long.parseLong(record.attributes().sentTimestamp())))
                .isBetween(Instant.now().minus(Duration.ofMinutes(1)), Instant.now());
    }

    /** {@code worker}, with every record it is given recorded first. */
    private Function<SqsEvent, SqsBatchResponse> recorded(Function<SqsEvent, SqsBatchResponse> worker) {
        return event -> {
            delivered.addAll(event.records());
            return worker.apply(event);
        };
    }

    /** A stand-in worker that reports the records {@code fails} picks as failed, and did the rest. */
    private static Function<SqsEvent, SqsBatchResponse> answering(Predicate<SqsEvent.Record> fails) {
        return event -> new SqsBatchResponse(event.records().stream()
                .filter(fails)
                .map(r -> new SqsBatchResponse.ItemFailure(r.messageId()))
                .toList());
    }

    private long deliveriesOf(String id) {
        return delivered.stream().filter(r -> r.messageId().equals(id)).count();
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
