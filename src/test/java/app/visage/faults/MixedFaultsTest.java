package app.visage.faults;

import static app.visage.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.fashn.FashnEmulator;
import app.visage.emulators.metahuman.MetaHumanEmulator;
import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.faults.S3FaultProxy.Rule;
import app.visage.support.ProviderEmulators;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many faults at once: jobs at all three providers submitted side by side, each provider misbehaving in
 * a different documented way, while S3 randomly fails record, slot and output requests (errors the SDK
 * retries, lost compare-and-swaps, answers lost after the write). Once S3 recovers and the due work has run,
 * every job has ended exactly once, every job that succeeded holds every output its provider produced,
 * and no provider was given any job twice.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class MixedFaultsTest extends FaultTestBase {
    /** Fixed, so a failure can be looked into again (thread timing still varies which request meets which fault). */
    private static final long SEED = 20261122L;
    /** Chance that one S3 request of a kind below is spoiled, per way of spoiling it. */
    private static final double CHANCE = 0.1;

    /** Room for every job at once, a little slower so that faults meet jobs in flight. */
    @BeforeEach
    void tuneProviders() {
        modelslab.processingTime(Duration.ofMillis(400));
        modelslab.retryAfterSeconds(1);
        modelslab.queueLimit(10);
        fashn.processingTime(Duration.ofMillis(400));
    }

    private List<Rule> armRandomS3Faults(Random random) {
        List<Rule> rules = new ArrayList<>();
        for (String prefix : List.of("jobs/", "slots/")) {
            rules.add(Rule.putUnder(prefix).always().answer(503));
            rules.add(Rule.putUnder(prefix).always().answer(412));
            rules.add(Rule.putUnder(prefix).always().dropAnswer());
        }
        rules.add(Rule.putUnder("outputs/").always().answer(500));
        rules.add(Rule.putUnder("outputs/").always().dropAnswer());
        rules.add(Rule.getUnder("jobs/").always().answer(500));
        rules.add(Rule.getUnder("jobs/").always().dropAnswer());
        rules.forEach(rule -> proxy.arm(rule.withChance(random, CHANCE)));
        return rules;
    }

    @Test
    void everyJobEndsOnceWithEveryOutputAndNoSecondSubmitWhateverS3AndTheProvidersDo() throws Exception {
        // What each provider does to its next calls: webhooks lost, doubled or early, answers cut off or
        // refused; unscripted calls behave normally.
        modelslab.nextSubmit(ModelsLabEmulator.Script.dropWebhook());
        modelslab.nextSubmit(ModelsLabEmulator.Script.webhookBeforeResponse());
        modelslab.nextSubmit(ModelsLabEmulator.Script.serverError(503));
        modelslab.nextSubmit(ModelsLabEmulator.Script.duplicateWebhook());
        modelslab.garbleNextFetches(1);
        fashn.nextRun(FashnEmulator.Script.garbledAnswer());
        fashn.nextRun(FashnEmulator.Script.dropWebhook());
        fashn.nextRun(FashnEmulator.Script.webhookBeforeResponse());
        fashn.nextRun(FashnEmulator.Script.rateLimited());
        fashn.garbleNextStatusCalls(1);
        metahuman.nextCall(MetaHumanEmulator.Script.serverError(502));
        List<Rule> s3Faults = armRandomS3Faults(new Random(SEED));

        ExecutorService clients = Executors.newFixedThreadPool(3);
        List<CompletableFuture<ExtractableResponse<Response>>> submits = new ArrayList<>();
        List<String> providers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String provider : List.of("modelslab", "fashn", "metahuman")) {
                providers.add(provider);
                submits.add(CompletableFuture.supplyAsync(
                        () -> switch (provider) {
                            case "modelslab" -> faults.submit(provider, "head_shot", Map.of("prompt", "portrait"));
                            case "fashn" ->
                                faults.submit(
                                        provider,
                                        "face_to_model",
                                        Map.of("aspect_ratio", "1:1", "output_format", "png"));
                            default -> faults.submit(provider, "face_recon", Map.of());
                        },
                        clients));
            }
        }
        List<String> ids = new ArrayList<>();
        List<String> ofProvider = new ArrayList<>();
        for (int i = 0; i < submits.size(); i++) {
            ExtractableResponse<Response> answer = submits.get(i).join();
            // A submit whose record could not be created (a 412 on a create, say) is refused whole, and
            // starts nothing: checked below, every provider call belongs to an accepted job.
            if (answer.statusCode() == 202) {
                ids.add(answer.path("id"));
                ofProvider.add(providers.get(i));
            } else {
                assertThat(answer.statusCode())
                        .as("submit answer %s", answer.asString())
                        .isEqualTo(500);
            }
        }
        clients.shutdown();
        assertThat(ids).isNotEmpty();
        // Let the providers finish and call back while S3 still misbehaves.
        await("the providers' work", () -> modelslab.inFlight(ProviderEmulators.MODELSLAB_KEY) == 0);
        Thread.sleep(1000);
        proxy.disarm();
        int spoiled = s3Faults.stream().mapToInt(Rule::hits).sum();

        for (int round = 0;
                round < 20
                        && !ids.stream()
                                .allMatch(id -> faults.record(id).status().isFinal());
                round++) {
            faults.runDueWorkAfter(Duration.ofMinutes(2));
        }

        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            JsonPath job = faults.view(id);
            String status = job.getString("status");
            String story = ofProvider.get(i) + " job " + job.prettify() + ", states written "
                    + JobLedger.statuses(proxy, id) + ", S3 requests "
                    + proxy.log().stream()
                            .filter(e -> e.key() != null && e.key().contains(id))
                            .map(e -> e.method() + " " + e.key() + " " + e.fate() + " " + e.status())
                            .toList();
            assertThat(status).as(story).isIn("succeeded", "failed");
            JobLedger.assertEndedOnceAs(proxy, id, status);
            switch (ofProvider.get(i)) {
                case "modelslab" -> {
                    assertThat(modelslab.jobsCreatedFor(id))
                            .as("ModelsLab jobs for %s", id)
                            .isLessThanOrEqualTo(1);
                    assertThat(status).as(story).isEqualTo("succeeded");
                    faults.assertOutputsAre(job, id, modelslab.outputsFor(id), "png");
                }
                case "fashn" -> {
                    assertThat(fashn.predictionsFor(id))
                            .as("FASHN predictions for %s", id)
                            .isLessThanOrEqualTo(1);
                    assertThat(status).as(story).isEqualTo("succeeded");
                    faults.assertOutputsAre(job, id, fashn.outputsFor(id), "png");
                }
                default -> {
                    assertThat(status).as(story).isEqualTo("succeeded");
                    faults.assertOutputsAre(job, id, List.of(metahuman.textureOf(metahuman.lastResult())), "png");
                }
            }
        }
        assertThat(spoiled).as("S3 requests spoiled").isPositive();
        assertThat(modelslab.generationCalls())
                .allSatisfy(call -> assertThat(ids)
                        .anyMatch(id -> call.json().path("webhook").asText().contains(id)));
        assertThat(fashn.runCalls())
                .allSatisfy(call -> assertThat(ids)
                        .anyMatch(id -> call.queryParam("webhook_url").contains(id)));
        // One MetaHuman call per job, plus the one its 502 refused (nothing was created: it may be sent again).
        int metahumanJobs =
                (int) ofProvider.stream().filter("metahuman"::equals).count();
        assertThat(metahuman.pipelineCalls()).hasSize(metahumanJobs == 0 ? 0 : metahumanJobs + 1);
    }
}
