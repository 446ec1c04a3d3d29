package app.visage.faults;

import static app.visage.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.faults.S3FaultProxy.Rule;
import app.visage.jobs.model.JobStatus;
import app.visage.support.DueWork;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * S3 failing under Visage mid-transition (errors, lost compare-and-swaps, writes whose answer is lost, a
 * crash between copying outputs and recording the end), through local mode's API against the provider
 * emulators. Whatever fails, each job ends exactly once, every output the provider produced ends up in
 * the bucket and the view, and the provider gets at most one job per Visage job.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class S3FaultsTest extends FaultTestBase {
    @BeforeEach
    void quickModelsLabRetries() {
        modelslab.retryAfterSeconds(1);
    }

    private static Map<String, Object> headShot() {
        return Map.of("prompt", "studio portrait", "width", 384, "height", 512);
    }

    @Test
    void aLostAnswerToTheRecordsCreationIsOurOwnWriteAndTheJobRunsOnce() {
        Rule lost = proxy.arm(Rule.putUnder("jobs/").dropAnswer());

        String id = faults.submitAccepted("modelslab", "head_shot", headShot());
        JsonPath job = faults.awaitEnd(id);

        assertThat(lost.hits()).isEqualTo(1);
        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(modelslab.jobsCreatedFor(id)).isEqualTo(1);
        assertThat(modelslab.generationCalls()).hasSize(1);
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }

    @Test
    void aLostAnswerToTheStartClaimIsOurOwnClaimAndTheProviderIsCalledOnce() {
        modelslab.nextSubmit(ModelsLabEmulator.Script.rateLimited());
        String id = faults.submitAndStart("modelslab", "head_shot", headShot());
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.QUEUED);
        // Its wake-up restarts the job once its retry_after has passed; the answer to its claim is lost.
        Rule lost = proxy.arm(Rule.put("jobs/" + id + ".json").dropAnswer());

        faults.runDueWorkAfter(Duration.ofSeconds(5));
        JsonPath job = faults.awaitEnd(id);

        assertThat(lost.hits()).isEqualTo(1);
        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(modelslab.generationCalls()).hasSize(2); // the 429, then the one that took the job
        assertThat(modelslab.jobsCreatedFor(id)).isEqualTo(1);
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }

    @Test
    void lostCompareAndSwapsOnEveryStepAreRetriedAndTheJobEndsOnce() {
        // Every record write after the creation is refused three times over, as if another writer won.
        Rule conflicts = proxy.arm(Rule.putUnder("jobs/").after(1).times(3).answer(412));

        String id = faults.submitAccepted("modelslab", "head_shot", headShot());
        JsonPath job = faults.awaitEnd(id);

        assertThat(conflicts.hits()).isEqualTo(3);
        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(modelslab.jobsCreatedFor(id)).isEqualTo(1);
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }

    @Test
    void aLostAnswerToTheWriteThatEndsTheJobChangesNothing() {
        String id = faults.submitAccepted("modelslab", "head_shot", headShot());
        Rule lost = proxy.arm(Rule.put("jobs/" + id + ".json")
                .onceWritten("outputs/" + id + "/")
                .dropAnswer());

        JsonPath job = faults.awaitEnd(id);

        assertThat(lost.hits()).isEqualTo(1);
        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }

    @Test
    void aCrashBetweenCopyingOutputsAndRecordingTheEndIsFinishedByTheWorker() {
        modelslab.nextSubmit(ModelsLabEmulator.Script.dropWebhook());
        String id = faults.submitAndStart("modelslab", "head_shot", headShot());
        await("the provider's outputs", () -> !modelslab.outputsFor(id).isEmpty());
        // From the first output copied on, the record can't be written: the process "dies" there.
        proxy.arm(Rule.put("jobs/" + id + ".json")
                .onceWritten("outputs/" + id + "/")
                .always()
                .answer(503));

        DueWork.Run crashed = faults.runDueWorkAfter(Duration.ofMinutes(1));

        assertThat(crashed.failures())
                .as("the steps that met the crash, left on the queue")
                .isPositive();
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(faults.keys("outputs/" + id + "/")).isNotEmpty();
        proxy.disarm();

        JsonPath job = faults.runDueWorkUntilEnded(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(modelslab.jobsCreatedFor(id)).isEqualTo(1);
        assertThat(modelslab.fetchCalls()).hasSizeGreaterThanOrEqualTo(2);
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }

    @Test
    void aJobWhoseOutputsCanNeverBeStoredStillEndsAtTheDeadline() {
        modelslab.nextSubmit(ModelsLabEmulator.Script.dropWebhook());
        String id = faults.submitAndStart("modelslab", "head_shot", headShot());
        await("the provider's outputs", () -> !modelslab.outputsFor(id).isEmpty());
        proxy.arm(Rule.putUnder("outputs/" + id + "/").always().answer(500));

        DueWork.Run failing = faults.runDueWorkAfter(Duration.ofMinutes(1));
        assertThat(failing.failures()).isEqualTo(1);
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.PROCESSING);
        faults.runDueWorkAfter(Duration.ofMinutes(30));

        assertThat(faults.record(id).status()).isEqualTo(JobStatus.FAILED);
        assertThat(faults.record(id).error().code()).isEqualTo("provider_timeout");
        JobLedger.assertEndedOnceAs(proxy, id, "failed");
        assertThat(modelslab.jobsCreatedFor(id)).isEqualTo(1);
    }

    @Test
    void aCrashBetweenCopyingASynchronousAnswerAndRecordingTheEndLosesNoOutput() {
        // MetaHuman answers once and keeps no job to ask about again: only what Visage recorded remains.
        proxy.arm(Rule.putUnder("jobs/").onceWritten("outputs/").always().answer(500));

        String id = faults.submitAndStart("metahuman", "face_recon", Map.of());

        assertThat(faults.keys("outputs/" + id + "/")).isNotEmpty();
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(faults.record(id).dispatch().answer())
                .as("the answer kept on the record")
                .isNotNull();
        proxy.disarm();
        JsonPath job = faults.runDueWorkUntilEnded(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(metahuman.pipelineCalls()).hasSize(1);
        assertThat(job.getMap("result")).containsKeys("face", "skin", "hair", "gender", "accessories");
        assertThat(job.getList("result.face.blend_shapes")).hasSize(80);
        assertThat(faults.record(id).dispatch().answer())
                .as("the answer, once the outputs are in")
                .isNull();
        faults.assertOutputsAre(job, id, List.of(metahuman.textureOf(metahuman.lastResult())), "png");
    }

    @Test
    void recordWritesFailingAfterTheProviderTookTheJobLeaveItToTheWebhook() {
        modelslab.processingTime(Duration.ofSeconds(2));
        // S3 refuses the record from the creation on, past the SDK's own retries: the provider's answer
        // (its job id) can't be recorded.
        proxy.arm(Rule.putUnder("jobs/").after(1).always().answer(500));

        String id = faults.submitAndStart("modelslab", "head_shot", headShot());
        proxy.disarm();
        JsonPath job = faults.awaitEnd(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(modelslab.generationCalls()).hasSize(1);
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }

    @Test
    void outputsThatCouldNotBeStoredAreCopiedAgainFromTheProvider() {
        fashn.webhookRetryDelay(Duration.ofMillis(50));
        Rule failing = proxy.arm(Rule.putUnder("outputs/").always().answer(500));

        String id =
                faults.submitAndStart("fashn", "face_to_model", Map.of("aspect_ratio", "1:1", "output_format", "png"));
        // The webhook only queues the confirmation: it is answered at once; the worker's copy is what fails.
        await("the provider's webhook", () -> fashn.deliveries().stream().anyMatch(d -> d.status() == 200));
        DueWork.Run confirming = faults.runDueWorkAfter(Duration.ZERO);
        assertThat(confirming.failures()).isEqualTo(1);
        assertThat(failing.hits()).isPositive();
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.PROCESSING);
        proxy.disarm();
        JsonPath job = faults.runDueWorkUntilEnded(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(fashn.predictionsFor(id)).isEqualTo(1);
        assertThat(fashn.runCalls()).hasSize(1);
        faults.assertOutputsAre(job, id, fashn.outputsFor(id), "png");
    }

    @Test
    void aSlotThatCouldNotBeTakenLeavesTheJobQueuedAndItsWakeUpStartsIt() {
        Rule failing = proxy.arm(Rule.putUnder("slots/modelslab/").always().answer(500));

        String id = faults.submitAndStart("modelslab", "head_shot", headShot());

        assertThat(failing.hits()).isPositive();
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(modelslab.generationCalls()).isEmpty();
        proxy.disarm();
        faults.runDueWorkAfter(Duration.ofSeconds(30)); // the back-stop of a job waiting for a slot
        JsonPath job = faults.awaitEnd(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(modelslab.generationCalls()).hasSize(1);
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }
}
