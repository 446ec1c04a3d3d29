package app.visage.faults;

import static app.visage.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.fashn.FashnEmulator;
import app.visage.emulators.metahuman.MetaHumanEmulator;
import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.faults.S3FaultProxy.Rule;
import app.visage.jobs.model.JobStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Providers failing Visage: answers cut off in transit, start calls that time out while the provider's
 * webhook is already on its way, webhooks that meet a failing S3. Each job ends exactly once, keeps every
 * output the provider produced, and is never submitted twice; polls may repeat.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class ProviderFaultsTest extends FaultTestBase {
    private static Map<String, Object> faceToModel() {
        return Map.of("aspect_ratio", "1:1", "output_format", "png");
    }

    @Test
    void fashnStatusAnswersCutOffAreAskedAgainNotTakenForTheEnd() {
        fashn.nextRun(FashnEmulator.Script.dropWebhook());
        fashn.garbleNextStatusCalls(2);
        String id = faults.submitAndStart("fashn", "face_to_model", faceToModel());
        await("the prediction's end", () -> !fashn.outputsFor(id).isEmpty());

        JsonPath job = faults.runDueWorkUntilEnded(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(fashn.statusCalls()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(fashn.runCalls()).hasSize(1);
        faults.assertOutputsAre(job, id, fashn.outputsFor(id), "png");
    }

    @Test
    void aFashnRunAnswerCutOffIsNeverSentAgainAndItsWebhookFinishesTheJob() {
        fashn.nextRun(FashnEmulator.Script.garbledAnswer());
        String id = faults.submitAccepted("fashn", "face_to_model", faceToModel());

        JsonPath job = faults.awaitEnd(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(fashn.runCalls()).hasSize(1);
        faults.assertOutputsAre(job, id, fashn.outputsFor(id), "png");
    }

    @Test
    void theIdOnlyAWebhookGaveIsKeptWhenTheStatusAskedToConfirmItCannotBeRead() {
        // The run's answer is cut off (no prediction id), then so is the status call confirming its webhook,
        // which FASHN won't send again once answered: only the id the webhook named is left to ask by.
        fashn.nextRun(FashnEmulator.Script.garbledAnswer());
        fashn.garbleNextStatusCalls(1);
        String id = faults.submitAndStart("fashn", "face_to_model", faceToModel());
        await(
                "the webhook",
                () -> fashn.deliveries().stream().anyMatch(d -> d.url().contains(id)));

        JsonPath job = faults.runDueWorkUntilEnded(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(fashn.runCalls()).hasSize(1);
        faults.assertOutputsAre(job, id, fashn.outputsFor(id), "png");
    }

    @Test
    void aFashnRunThatTimesOutIsFinishedByTheWebhookThatCameBeforeItsAnswer() {
        // Beyond the profile's 2 s provider timeout; the prediction ends (and calls back) long before.
        fashn.nextRun(FashnEmulator.Script.slow(Duration.ofSeconds(3)));
        String id = faults.submitAccepted("fashn", "face_to_model", faceToModel());

        JsonPath job = faults.awaitEnd(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(fashn.runCalls()).hasSize(1);
        assertThat(fashn.predictionsFor(id)).isEqualTo(1);
        faults.assertOutputsAre(job, id, fashn.outputsFor(id), "png");
    }

    @Test
    void aWebhookBeforeTheRunAnswerThatMeetsAFailingS3IsRetriedByFashnAndEndsTheJobOnce() {
        fashn.nextRun(FashnEmulator.Script.webhookBeforeResponse());
        String id = faults.submitAccepted("fashn", "face_to_model", faceToModel());
        // The webhook's read of the record, while the worker waits for the run answer, fails past the SDK's own
        // retries (4 attempts), once.
        Rule failing = proxy.arm(Rule.getUnder("jobs/" + id)
                .onlyWhile(() -> !fashn.runCalls().isEmpty())
                .times(4)
                .answer(500));

        JsonPath job = faults.awaitEnd(id);

        assertThat(failing.hits()).isEqualTo(4);
        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        assertThat(fashn.deliveries())
                .extracting(d -> d.status())
                .startsWith(500)
                .contains(200);
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(fashn.runCalls()).hasSize(1);
        faults.assertOutputsAre(job, id, fashn.outputsFor(id), "png");
    }

    @Test
    void aModelsLabAnswerCutOffIsNeverSentAgainAndItsWebhookFinishesTheJob() {
        modelslab.nextSubmit(ModelsLabEmulator.Script.garbledAnswer());
        String id = faults.submitAccepted("modelslab", "head_shot", Map.of("prompt", "portrait"));

        JsonPath job = faults.awaitEnd(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(modelslab.generationCalls()).hasSize(1);
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }

    @Test
    void modelsLabFetchAnswersCutOffAreAskedAgain() {
        modelslab.nextSubmit(ModelsLabEmulator.Script.dropWebhook());
        modelslab.garbleNextFetches(2);
        String id = faults.submitAndStart("modelslab", "head_shot", Map.of("prompt", "portrait"));
        await("the provider's outputs", () -> !modelslab.outputsFor(id).isEmpty());

        JsonPath job = faults.runDueWorkUntilEnded(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("succeeded");
        JobLedger.assertEndedOnceAs(proxy, id, "succeeded");
        assertThat(modelslab.fetchCalls()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(modelslab.jobsCreatedFor(id)).isEqualTo(1);
        faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
    }

    @Test
    void aMetaHumanAnswerCutOffFailsTheJobOnceAndIsNeverSentAgain() {
        metahuman.nextCall(MetaHumanEmulator.Script.garbledAnswer());
        String id = faults.submitAccepted("metahuman", "face_recon", Map.of());

        JsonPath job = faults.runDueWorkUntilEnded(id);

        assertThat(job.getString("status")).as("job %s", job.prettify()).isEqualTo("failed");
        assertThat(job.getString("error.code")).isEqualTo("provider_error");
        JobLedger.assertEndedOnceAs(proxy, id, "failed");
        assertThat(metahuman.pipelineCalls()).hasSize(1);
        assertThat(faults.record(id).status()).isEqualTo(JobStatus.FAILED);
        assertThat(faults.keys("outputs/" + id + "/")).isEmpty();
    }
}
