package app.visage.faults;

import static app.visage.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.EmulatorServer;
import app.visage.emulators.fashn.FashnEmulator;
import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.faults.queue.QueueHand;
import app.visage.functions.WorkerFunction;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Work;
import app.visage.local.LocalSqs;
import app.visage.local.QueueEvents;
import app.visage.messages.WorkMessages;
import app.visage.support.WorkQueues;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The work queue's faults, through local mode's API against the provider emulators, on the real (embedded) queue:
 * a message delivered twice at every step, a message redelivered after its visibility timeout while its first
 * delivery still runs, a worker failing mid-step (and a message that keeps failing, which ends in the dead-letter
 * queue), and sends the queue refuses after the record was written. Whatever the queue does, each job ends exactly
 * once, every output the provider produced is in the bucket and the view, and the provider is given the job once.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class QueueFaultsTest extends FaultTestBase {
    @Inject
    WorkerFunction worker;

    @Inject
    QueueEvents events;

    @Inject
    SqsClient sqs;

    @Inject
    LocalSqs localSqs;

    private WorkQueues queues;
    private QueueHand hand;

    @BeforeEach
    void emptyQueues() {
        queues = WorkQueues.of(localSqs, sqs);
        queues.purge();
        hand = new QueueHand(worker, events, sqs, localSqs, clock);
    }

    private static Map<String, Object> headShot() {
        return Map.of("prompt", "studio portrait", "width", 384, "height", 512);
    }

    private static Map<String, Object> faceToModel() {
        return Map.of("aspect_ratio", "1:1", "output_format", "png");
    }

    // --- a message delivered twice ---

    @Test
    void everyMessageDeliveredTwiceStartsConfirmsAndEndsTheJobOnce() {
        modelslab.nextSubmit(ModelsLabEmulator.Script.duplicateWebhook());
        String id = faults.submitAccepted("modelslab", "head_shot", headShot());
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.QUEUED);

        assertThat(deliverEachTwice()).as("the start").isNotEmpty();
        assertThat(modelslabStarts(id)).isEqualTo(1);
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.PROCESSING);

        await("ModelsLab's two webhooks answered", () -> webhooksAnswered(modelslab, id) == 2);
        assertThat(deliverEachTwice())
                .as("the webhooks' confirmations")
                .filteredOn(w -> w.kind() == Work.Kind.CONFIRM)
                .hasSize(2);
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.SUCCEEDED);

        clock.advance(Duration.ofMinutes(3)); // past the start claim's lease: every wake-up left is due
        deliverEachTwice();

        JsonPath job = faults.view(id);
        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(modelslabStarts(id)).isEqualTo(1);
        assertThat(modelslab.jobsCreatedFor(id)).isEqualTo(1);
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }

    @Test
    void everyMessageDeliveredTwiceStartsPollsAndEndsTheJobOnce() {
        fashn.nextRun(FashnEmulator.Script.dropWebhook()); // only the poll can end it
        String id = faults.submitAccepted("fashn", "face_to_model", faceToModel());

        deliverEachTwice();
        assertThat(fashnStarts(id)).isEqualTo(1);
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.PROCESSING);
        await("the prediction's end", () -> !fashn.outputsFor(id).isEmpty());

        clock.advance(Duration.ofSeconds(15)); // FASHN is expected to take 12 s: the first poll is due
        assertThat(deliverEachTwice()).as("the poll").isNotEmpty();
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.SUCCEEDED);
        clock.advance(Duration.ofMinutes(3));
        deliverEachTwice();

        JsonPath job = faults.view(id);
        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(fashnStarts(id)).isEqualTo(1);
        assertThat(fashn.predictionsFor(id)).isEqualTo(1);
        assertThat(fashn.statusCalls())
                .as("one ask per due poll, however often it is delivered")
                .hasSize(1);
        faults.assertOutputsAre(job, id, fashn.outputsFor(id), "png");
    }

    // --- helpers ---

    /**
     * Takes every due message off the queue and hands each to the worker twice, the same message both times, as
     * SQS's at-least-once delivery may; then deletes it. Until nothing is due; answers the work delivered.
     */
    private List<Work> deliverEachTwice() {
        List<Work> delivered = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            List<Message> due = hand.takeDue();
            if (due.isEmpty()) {
                return delivered;
            }
            for (Message m : due) {
                Work work = WorkMessages.decode(m.body());
                assertThat(hand.deliver(m)).as("%s, delivered", work.kind()).isTrue();
                assertThat(hand.deliver(m))
                        .as("%s, delivered again", work.kind())
                        .isTrue();
                hand.delete(m);
                delivered.add(work);
            }
        }
        throw new AssertionError("work kept coming due: " + delivered.size() + " messages delivered");
    }

    /** Start calls ModelsLab got for {@code id} (its webhook URL names the job). */
    private long modelslabStarts(String id) {
        return modelslab.generationCalls().stream()
                .filter(c -> c.json().path("webhook").asText().contains(id))
                .count();
    }

    /** Run calls FASHN got for {@code id} (its webhook URL names the job). */
    private long fashnStarts(String id) {
        return fashn.runCalls().stream()
                .filter(c -> c.queryParam("webhook_url") != null
                        && c.queryParam("webhook_url").contains(id))
                .count();
    }

    /** Webhooks for {@code id} that Visage answered 200. */
    private static long webhooksAnswered(EmulatorServer provider, String id) {
        return provider.deliveries().stream()
                .filter(d -> d.url().contains(id) && d.status() == 200)
                .count();
    }
}
