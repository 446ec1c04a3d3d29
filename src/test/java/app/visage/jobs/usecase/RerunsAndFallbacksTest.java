package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.Attempt;
import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.port.OutputDownloads;
import app.visage.jobs.view.JobViews;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A run the provider says to run again (FASHN's PipelineError), a start refused before the provider took the
 * job (the next provider of the request's list gets it), and a finished answer whose output is not served yet
 * (asked again by the id it came with): on the in-memory core, with scripted providers and a manual clock.
 */
class RerunsAndFallbacksTest {
    static final String HOOK = "https://app.example/hooks/visage";
    private static final ProviderOutcome.Rerun PIPELINE_ERROR =
            new ProviderOutcome.Rerun("FASHN: the pipeline failed", "PipelineError");

    @Nested
    class RunningAgain {
        @Test
        void aRunTheProviderSaysToRunAgainIsStartedAnewAndTheJobSucceedsWithBothRunsOnRecord() {
            Core core = new Core(new Core.ScriptedProvider(1, false)
                    .onStart(new ProviderOutcome.Pending("p-1", null))
                    .onFetch(PIPELINE_ERROR)
                    .onStart(new ProviderOutcome.Pending("p-2", null)));
            byte[] output = Core.png();
            core.provider.onFetch(JobUseCasesTest.finishedWith(core, output));
            Job job = core.queuedJob(HOOK);

            core.runner.run(job.id());
            core.clock.advance(Duration.ofSeconds(5));
            core.runDueWork();

            Job again = core.stored(job.id());
            assertThat(again.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(again.attempts()).singleElement().satisfies(a -> {
                assertThat(a.providerJobId()).isEqualTo("p-1");
                assertThat(a.outcome()).isEqualTo(Attempt.RUN_AGAIN);
                assertThat(a.providerCode()).isEqualTo("PipelineError");
            });
            assertThat(core.bucket.read("scripted", 0).orElseThrow().holder())
                    .as("the failed run's slot is freed")
                    .isNull();
            assertThat(core.webhooks.sent)
                    .as("the client hears only of the job's end")
                    .isEmpty();

            core.clock.advance(Duration.ofSeconds(10));
            core.runDueWork();
            core.clock.advance(Duration.ofSeconds(10));
            core.runDueWork();

            Job done = core.stored(job.id());
            assertThat(core.provider.startCalls).hasValue(2);
            assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(done.dispatch().providerJobId()).isEqualTo("p-2");
            assertThat(done.attempts()).extracting(Attempt::providerJobId).containsExactly("p-1");
            assertThat(core.webhooks.sent).extracting(ClientWebhook::type).containsExactly("job.succeeded");

            Map<String, Object> view = new JobViews().view(new ShownJob(done, List.of(), core.clock.instant()));
            assertThat(view).containsEntry("provider_job_id", "p-2");
            assertThat(view.get("attempts"))
                    .asInstanceOf(InstanceOfAssertFactories.LIST)
                    .singleElement()
                    .asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("provider", "scripted")
                    .containsEntry("provider_job_id", "p-1")
                    .containsEntry("outcome", "run_again")
                    .containsEntry("provider_code", "PipelineError");
        }

        @Test
        void afterThreeRunsThatEachFailedTheJobFailsWithWhatTheLastSaid() {
            Core core = new Core(new Core.ScriptedProvider(0, false));
            for (int run = 1; run <= ProviderOutcomes.MAX_RERUNS + 1; run++) {
                core.provider.onStart(new ProviderOutcome.Pending("p-" + run, null));
                core.provider.onFetch(PIPELINE_ERROR);
            }
            Job job = core.queuedJob(null);

            core.runner.run(job.id());
            for (int i = 0; i < 12; i++) {
                core.clock.advance(Duration.ofSeconds(10));
                core.runDueWork();
            }

            Job failed = core.stored(job.id());
            assertThat(core.provider.startCalls).hasValue(ProviderOutcomes.MAX_RERUNS + 1);
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error().code()).isEqualTo(ErrorCode.PROVIDER_ERROR.wire());
            assertThat(failed.error().providerCode()).isEqualTo("PipelineError");
            assertThat(failed.error().message()).contains("3 runs failed");
            assertThat(failed.attempts()).extracting(Attempt::providerJobId).containsExactly("p-1", "p-2");
            assertThat(failed.dispatch().providerJobId()).isEqualTo("p-3");
        }

        @Test
        void aLateReportOfTheFirstRunLeavesTheSecondAsItIs() {
            Core core = new Core(new Core.ScriptedProvider(0, false)
                    .onStart(new ProviderOutcome.Pending("p-1", null))
                    .onFetch(PIPELINE_ERROR)
                    .onStart(new ProviderOutcome.Pending("p-2", null))
                    .onFetch(PIPELINE_ERROR));
            Job job = core.queuedJob(null);
            core.runner.run(job.id());
            core.clock.advance(Duration.ofSeconds(5));
            core.runDueWork();
            core.clock.advance(Duration.ofSeconds(5));
            core.runDueWork();
            Job second = core.stored(job.id());
            assertThat(second.dispatch().providerJobId()).isEqualTo("p-2");

            // A webhook about p-1, confirmed late: the provider repeats what it said of p-1.
            Job after = core.poller.confirm(second, "p-1");

            assertThat(after.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(after.dispatch().providerJobId()).isEqualTo("p-2");
            assertThat(after.attempts()).hasSize(1);
        }
    }

    @Nested
    class FallingBack {
        @Test
        void aStartRefusedBeforeTheProviderTookTheJobGoesToTheNextProviderListed() {
            Core.ScriptedProvider second =
                    new Core.ScriptedProvider("second", 0, false).onStart(new ProviderOutcome.Pending("s-1", null));
            Core core = new Core(
                    new Core.ScriptedProvider(1, false)
                            .onStart(new ProviderOutcome.Refused(
                                    ErrorCode.PROVIDER_ERROR, "scripted refused the job: no credits", "OutOfCredits")),
                    second);
            Job job = core.queuedJob(null, List.of("second"));

            Job passed = core.runner.run(job.id());

            assertThat(passed.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(passed.provider()).isEqualTo("second");
            assertThat(passed.fallbacks()).isEmpty();
            assertThat(passed.attempts()).singleElement().satisfies(a -> {
                assertThat(a.provider()).isEqualTo("scripted");
                assertThat(a.outcome()).isEqualTo(Attempt.REFUSED);
                assertThat(a.providerCode()).isEqualTo("OutOfCredits");
            });
            assertThat(core.bucket.read("scripted", 0).orElseThrow().holder()).isNull();

            core.runDueWork();

            Job running = core.stored(job.id());
            assertThat(second.startCalls).hasValue(1);
            assertThat(running.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(running.provider()).isEqualTo("second");
            assertThat(running.dispatch().providerJobId()).isEqualTo("s-1");
        }

        @Test
        void aProviderThatTookTheJobIsNeverFollowedByAnother() {
            Core.ScriptedProvider second = new Core.ScriptedProvider("second", 0, false);
            Core core = new Core(
                    new Core.ScriptedProvider(0, false)
                            .onStart(new ProviderOutcome.Pending("p-1", null))
                            .onFetch(new ProviderOutcome.Failed(
                                    ErrorCode.PROVIDER_ERROR, "the model crashed", "InternalServerError")),
                    second);
            Job job = core.queuedJob(null, List.of("second"));

            core.runner.run(job.id());
            core.clock.advance(Duration.ofSeconds(5));
            core.runDueWork();

            Job failed = core.stored(job.id());
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.provider()).isEqualTo("scripted");
            assertThat(second.startCalls).hasValue(0);
        }

        @Test
        void aStartThatKeptFailingWithoutBeingTakenAlsoGoesToTheNextProvider() {
            Core.ScriptedProvider second =
                    new Core.ScriptedProvider("second", 0, false).onStart(new ProviderOutcome.Pending("s-1", null));
            Core core = new Core(new Core.ScriptedProvider(0, false), second);
            for (int i = 0; i < ProviderOutcomes.MAX_START_FAILURES; i++) {
                core.provider.onStart(new ProviderOutcome.Transient("502", "502"));
            }
            Job job = core.queuedJob(null, List.of("second"));

            core.runner.run(job.id());
            for (int i = 1; i < ProviderOutcomes.MAX_START_FAILURES; i++) {
                core.clock.advance(Duration.ofMinutes(1));
                core.runDueWork();
            }

            Job running = core.stored(job.id());
            assertThat(core.provider.startCalls).hasValue(ProviderOutcomes.MAX_START_FAILURES);
            assertThat(running.provider()).isEqualTo("second");
            assertThat(running.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(running.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.REFUSED);
        }

        @Test
        void aRefusalWithNothingLeftToTryFailsTheJobWithItsCode() {
            Core core = new Core(new Core.ScriptedProvider(0, false)
                    .onStart(new ProviderOutcome.Refused(ErrorCode.PROVIDER_ERROR, "no credits", "OutOfCredits")));
            Job job = core.queuedJob(null);

            Job failed = core.runner.run(job.id());

            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error().providerCode()).isEqualTo("OutOfCredits");
            assertThat(failed.attempts()).isEmpty();
        }
    }

    @Nested
    class AskingAgain {
        @Test
        void anImmediateSuccessWhoseOutputIsNotServedYetIsKeptWithItsIdAndDownloadedAgainLater() {
            Core core = new Core(new Core.ScriptedProvider(0, false));
            URI late = URI.create("https://cdn.provider.example/late.png");
            core.provider.onStart(
                    new ProviderOutcome.Finished(List.of(new ProviderOutcome.Link(late)), null, "ml-7", 4029484891L));
            core.downloads.beforeDownload = () -> {
                if (!core.downloads.served.containsKey(late)) {
                    throw new OutputDownloads.Unavailable("an output answered HTTP 404");
                }
            };
            Job job = core.queuedJob(null);

            Job waiting = core.runner.run(job.id());

            assertThat(waiting.status()).as("%s", waiting.error()).isEqualTo(JobStatus.PROCESSING);
            assertThat(waiting.dispatch().providerJobId()).isEqualTo("ml-7");
            assertThat(waiting.dispatch().fetchFailures()).isEqualTo(1);

            byte[] output = Core.png();
            core.downloads.served.put(late, output);
            core.clock.advance(Duration.ofSeconds(10));
            core.runDueWork();

            Job done = core.stored(job.id());
            assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(core.bucket.get(done.outputs().getFirst().key())).hasValue(output);
            assertThat(done.seed()).isEqualTo(4029484891L);
            assertThat(waiting.dispatch().answer())
                    .as("the answer, kept while its outputs are not in")
                    .isNotNull();
            assertThat(core.provider.fetchCalls)
                    .as("its recorded answer is the provider's last word")
                    .hasValue(0);
        }

        @Test
        void theSeedAProviderWasSentIsRecordedWhenItTakesTheJob() {
            Core core = new Core(
                    new Core.ScriptedProvider(0, false).onStart(new ProviderOutcome.Pending("p-1", null, 1234L)));
            Job job = core.queuedJob(null);

            Job running = core.runner.run(job.id());

            assertThat(running.seed()).isEqualTo(1234L);
            assertThat(new JobViews().view(new ShownJob(running, List.of(), core.clock.instant())))
                    .containsEntry("seed", 1234L)
                    .containsEntry("provider_job_id", "p-1");
        }
    }
}
