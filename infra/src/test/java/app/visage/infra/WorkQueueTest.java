package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The work queue (a standard queue the worker consumes), its dead-letter queue, both encrypted, and the alarms
 * on dead letters and on the worker's failures; TLS and who may use the queues are IamScopingTest's, the
 * event source TriggersTest's, the other alarms MonitoringTest's.
 */
class WorkQueueTest {

    @Test
    void aStandardWorkQueueRedrivesToItsDeadLetterQueueAfterFiveReceives() {
        Synth.Synthesized s = Synth.jvm();
        // With the failure destinations of upload and cleanup (AsyncFailuresTest).
        s.template().resourceCountIs("AWS::SQS::Queue", 4);
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
    void aMessageStaysHiddenForSixWorkerTimeouts() {
        Synth.Synthesized s = Synth.jvm();
        int visibility = ((Number) properties(s, Synth.workQueueId(s)).get("VisibilityTimeout")).intValue();
        int workerTimeout = ((Number) FunctionsTest.properties(s, "worker").get("Timeout")).intValue();
        assertTrue(visibility >= 6 * workerTimeout, visibility + " < 6 × " + workerTimeout);
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

    @Test
    void aDeadLetterRaisesAnAlarmThatIsAnOutput() {
        Synth.Synthesized s = Synth.jvm();
        String alarm = MonitoringTest.alarm(
                s,
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                Map.of("Fn::GetAtt", List.of(Synth.deadLetterQueueId(s), "QueueName")));
        Map<String, Object> props = properties(s, alarm);
        assertEquals(
                List.of(Map.of(
                        "Name",
                        "QueueName",
                        "Value",
                        Map.of("Fn::GetAtt", List.of(Synth.deadLetterQueueId(s), "QueueName")))),
                props.get("Dimensions"));
        assertEquals("Maximum", props.get("Statistic"));
        assertEquals(300, ((Number) props.get("Period")).intValue());
        assertEquals("GreaterThanThreshold", props.get("ComparisonOperator"));
        assertEquals(0, ((Number) props.get("Threshold")).intValue());
        assertEquals("notBreaching", props.get("TreatMissingData"));
        assertEquals(List.of(Map.of("Ref", MonitoringTest.topicId(s))), props.get("AlarmActions"));
        s.template().hasOutput("DeadLetterAlarmName", Map.of("Value", Map.of("Ref", alarm)));
        s.template()
                .hasOutput(
                        "DeadLetterQueueArn",
                        Map.of("Value", Map.of("Fn::GetAtt", List.of(Synth.deadLetterQueueId(s), "Arn"))));
    }

    @Test
    void aWorkerInvocationThatFailsAsAWholeRaisesAnAlarmThatIsAnOutput() {
        Synth.Synthesized s = Synth.jvm();
        String alarm = MonitoringTest.alarm(s, "AWS/Lambda", "Errors", Map.of("Ref", Synth.functionId(s, "worker")));
        Map<String, Object> props = properties(s, alarm);
        assertEquals(
                List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", Synth.functionId(s, "worker")))),
                props.get("Dimensions"));
        assertEquals("Sum", props.get("Statistic"));
        assertEquals(300, ((Number) props.get("Period")).intValue());
        assertEquals("GreaterThanOrEqualToThreshold", props.get("ComparisonOperator"));
        assertEquals(1, ((Number) props.get("Threshold")).intValue());
        assertEquals("notBreaching", props.get("TreatMissingData"));
        assertEquals(List.of(Map.of("Ref", MonitoringTest.topicId(s))), props.get("AlarmActions"));
        s.template().hasOutput("WorkerErrorsAlarmName", Map.of("Value", Map.of("Ref", alarm)));
    }

    static Map<String, Object> properties(Synth.Synthesized s, String logicalId) {
        return Json.map(Json.map(s.resources().get(logicalId)).get("Properties"));
    }
}
