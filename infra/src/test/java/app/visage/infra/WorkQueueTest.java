package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The work queue (a standard queue the worker consumes) and its dead-letter queue, both encrypted; TLS and
 * who may use them are IamScopingTest's, the event source TriggersTest's.
 */
class WorkQueueTest {

    @Test
    void aStandardWorkQueueRedrivesToItsDeadLetterQueueAfterFiveReceives() {
        Synth.Synthesized s = Synth.jvm();
        s.template().resourceCountIs("AWS::SQS::Queue", 2);
        Map<String, Object> work = properties(s, Synth.workQueueId(s));
        assertNull(work.get("FifoQueue"), "a standard queue");
        assertEquals(
                Map.of(
                        "deadLetterTargetArn",
                        Map.of("Fn::GetAtt", List.of(Synth.deadLetterQueueId(s), "Arn")),
                        "maxReceiveCount",
                        5),
                work.get("RedrivePolicy"));
    }

    @Test
    void aMessageStaysHiddenForSixWorkerTimeoutsAndTheBatchingWindow() {
        Synth.Synthesized s = Synth.jvm();
        int visibility = ((Number) properties(s, Synth.workQueueId(s)).get("VisibilityTimeout")).intValue();
        int workerTimeout = ((Number) FunctionsTest.properties(s, "worker").get("Timeout")).intValue();
        int window = ((Number) Json.path(
                        Json.map(s.resources().get(Synth.logicalIdOfType(s, "AWS::Lambda::EventSourceMapping"))),
                        "Properties",
                        "MaximumBatchingWindowInSeconds"))
                .intValue();
        assertTrue(visibility >= 6 * workerTimeout + window, visibility + " < 6 × " + workerTimeout + " + " + window);
    }

    @Test
    void deadLettersAreKeptFourteenDays() {
        Synth.Synthesized s = Synth.jvm();
        assertEquals(
                14 * 24 * 3600,
                ((Number) properties(s, Synth.deadLetterQueueId(s)).get("MessageRetentionPeriod")).intValue());
    }

    @Test
    void bothQueuesAreEncryptedBySqs() {
        Synth.Synthesized s = Synth.jvm();
        for (String queue : List.of(Synth.workQueueId(s), Synth.deadLetterQueueId(s))) {
            assertEquals(true, properties(s, queue).get("SqsManagedSseEnabled"), queue);
        }
    }

    static Map<String, Object> properties(Synth.Synthesized s, String logicalId) {
        return Json.map(Json.map(s.resources().get(logicalId)).get("Properties"));
    }
}
