package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.Tenant;
import app.visage.storage.memory.MemoryBucket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The use cases of the job core (RunJob, ProviderOutcomes through RunJob and PollJob, the worker's wake-ups
 * in TendJob, NotifyClient, CancelJob) on the in-memory bucket, with a scripted provider and a clock that moves
 * only when told: each outcome a provider may give, and the races the S3 tiers meet by chance, here at an exact
 * point.
 */
class JobUseCasesTest {
    static final String HOOK = "https://app.example/hooks/visage";

    static ProviderOutcome.Finished finishedWith(Core core, byte[] output) {
        return new ProviderOutcome.Finished(
                List.of(new ProviderOutcome.Link(core.downloads.serve("out-" + output.length + ".png", output))),
                Map.of("seed", 42));
    }

    @Nested
    class Starting {
        @Test
        void aPendingAnswerMakesTheJobProcessingUnderTheProvidersIdWithItsFirstPollScheduled() {
            Core core = new Core(new Core.ScriptedProvider(0, false)
                    .onStart(new ProviderOutcome.Pending("p-1", Duration.ofSeconds(30))));
            Job job = core.queuedJob(null);

            Job after = core.runner.run(job.id());

            assertThat(after.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(after.dispatch().providerJobId()).isEqualTo("p-1");
            assertThat(after.dispatch().eta()).isEqualTo(Core.T0.plusSeconds(30));
            assertThat(after.dispatch().nextPollAt()).isEqualTo(Core.T0.plusSeconds(30));
            assertThat(after.webhookTokenHash()).isNotNull();
            assertThat(core.stored(job.id())).isEqualTo(after);
        }

        @Test
        void aSecondTriggerForTheSameJobNeverCallsTheProviderAgain() {
            Core core = new Core(new Core.ScriptedProvider(0, false).onStart(new ProviderOutcome.Pending("p-1", null)));
            Job job = core.queuedJob(null);

            core.runner.run(job.id());
            Job again = core.runner.run(job.id());

            assertThat(core.provider.startCalls).hasValue(1);
            assertThat(again.status()).isEqualTo(JobStatus.PROCESSING);
        }

        @Test
        void aSynchronousAnswerEndsTheJobWithItsOutputsCopiedAndTheClientToldOnce() {
            byte[] output = Core.png();
            Core core = new Core();
            core.provider.onStart(finishedWith(core, output));
            Job job = core.queuedJob(HOOK);

            Job after = core.runner.run(job.id());
            core.runDueWork();

            assertThat(after.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(after.outputs()).hasSize(1);
            assertThat(core.bucket.get(after.outputs().getFirst().key())).hasValue(output);
            assertThat(after.result()).containsEntry("seed", 42);
            assertThat(after.dispatch().answer()).isNull();
            assertThat(core.webhooks.sent).hasSize(1);
            assertThat(core.webhooks.sent.getFirst().type()).isEqualTo("job.succeeded");
            assertThat(core.stored(job.id()).clientWebhooks().getLast().state()).isEqualTo("delivered");
        }

        @Test
        void aBusyProviderKeepsTheJobQueuedUntilItsRetryTime() {
            Core core = new Core(new Core.ScriptedProvider(0, false)
                    .onStart(new ProviderOutcome.Busy(Duration.ofSeconds(20), "429"))
                    .onStart(new ProviderOutcome.Pending("p-1", null)));
            Job job = core.queuedJob(null);

            Job waiting = core.runner.run(job.id());
            assertThat(waiting.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(waiting.dispatch().retryAt()).isEqualTo(Core.T0.plusSeconds(20));
            core.clock.advance(Duration.ofSeconds(19));
            core.runDueWork();
            assertThat(core.provider.startCalls).hasValue(1);

            core.clock.advance(Duration.ofSeconds(1));
            core.runDueWork();

            assertThat(core.provider.startCalls).hasValue(2);
            assertThat(core.stored(job.id()).status()).isEqualTo(JobStatus.PROCESSING);
        }

        @Test
        void transientFaultsAreRetriedWithBackOffThenFailTheJobAndFreeItsSlot() {
            Core core = new Core(new Core.ScriptedProvider(1, false));
            for (int i = 0; i < ProviderOutcomes.MAX_START_FAILURES; i++) {
                core.provider.onStart(new ProviderOutcome.Transient("502", "502"));
            }
            Job job = core.queuedJob(HOOK);

            core.runner.run(job.id());
            for (int i = 1; i < ProviderOutcomes.MAX_START_FAILURES; i++) {
                core.clock.advance(Duration.ofMinutes(1));
                core.runDueWork();
            }

            Job failed = core.stored(job.id());
            assertThat(core.provider.startCalls).hasValue(ProviderOutcomes.MAX_START_FAILURES);
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error().code()).isEqualTo(ErrorCode.PROVIDER_ERROR.wire());
            assertThat(core.bucket.read("scripted", 0).orElseThrow().holder()).isNull();
            assertThat(core.webhooks.sent).extracting(ClientWebhook::type).containsExactly("job.failed");
        }

        @Test
        void aJobWaitingForASlotStartsAsSoonAsTheSlotFrees() {
            Core core = new Core(new Core.ScriptedProvider(1, false)
                    .onStart(new ProviderOutcome.Pending("p-1", null))
                    .onStart(new ProviderOutcome.Pending("p-2", null)));
            Job first = core.queuedJob(null);
            Job second = core.queuedJob(null);
            core.runner.run(first.id());

            Job waiting = core.runner.run(second.id());
            assertThat(waiting.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(core.provider.startCalls).hasValue(1);

            assertThat(core.bucket.keys(Keys.line("scripted"))).hasSize(1);

            core.canceler.cancel(first.id().value(), new Tenant("acme"));
            core.runDueWork(); // the clock has not moved: no back-stop is due, only the freed slot's step

            assertThat(core.stored(second.id()).status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(core.stored(second.id()).dispatch().slot()).isEqualTo(0);
            assertThat(core.bucket.keys(Keys.line("scripted")))
                    .as("out of the line")
                    .isEmpty();
        }

        @Test
        void aSlotFreedAsAJobJoinsTheLineIsNotMissed() {
            Core core = new Core(new Core.ScriptedProvider(1, false)
                    .onStart(new ProviderOutcome.Pending("p-1", null))
                    .onStart(new ProviderOutcome.Pending("p-2", null)));
            Job first = core.queuedJob(null);
            Job second = core.queuedJob(null);
            core.runner.run(first.id());
            // The first job ends just as the second finds every slot taken, before it joins the line.
            core.bucket.beforeWrite(
                    key -> key.startsWith(Keys.line("scripted")),
                    () -> core.canceler.cancel(first.id().value(), new Tenant("acme")));

            Job started = core.runner.run(second.id());

            assertThat(started.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(core.bucket.keys(Keys.line("scripted"))).isEmpty();
        }

        @Test
        void aStartAnswerWhoseRecordingAnswerWasLostStillLeavesTheJobAtItsProviderOnce() {
            Core core = new Core();
            core.provider.onStart(call -> {
                // The write that records this answer lands, but its answer never reaches us.
                core.bucket.failNextWrite(key -> key.startsWith("jobs/"), MemoryBucket.FaultKind.LOSE_ANSWER);
                return new ProviderOutcome.Pending("p-1", null);
            });
            Job job = core.queuedJob(null);

            core.runner.run(job.id());
            Job again = core.runner.run(job.id());

            Job stored = core.stored(job.id());
            assertThat(stored.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(stored.dispatch().providerJobId()).isEqualTo("p-1");
            assertThat(again).isEqualTo(stored);
            assertThat(core.provider.startCalls).hasValue(1);
        }
    }

    @Nested
    class Races {
        @Test
        void aWebhookThatArrivesBeforeTheStartAnswerEndsTheJobOnceAndTheLateAnswerChangesNothing() {
            byte[] output = Core.png();
            Core core = new Core();
            core.provider
                    .onStart(call -> {
                        // The provider calls back before its answer to the start call reaches us.
                        core.poller.confirm(core.stored(call.jobId()), "p-1");
                        return new ProviderOutcome.Pending("p-1", null);
                    })
                    .onFetch(finishedWith(core, output));
            Job job = core.queuedJob(HOOK);

            Job after = core.runner.run(job.id());
            core.runDueWork();

            assertThat(after.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(core.stored(job.id()).outputs()).hasSize(1);
            assertThat(core.provider.startCalls).hasValue(1);
            assertThat(core.provider.fetchCalls).hasValue(1);
            assertThat(core.webhooks.sent).hasSize(1);
        }

        @Test
        void aCancelDuringTheCopyWinsAndTheCopiedOutputsAreRemoved() {
            Core core = new Core();
            core.provider.onStart(new ProviderOutcome.Pending("p-1", null)).onFetch(finishedWith(core, Core.png()));
            Job job = core.queuedJob(HOOK);
            core.runner.run(job.id());
            core.downloads.beforeDownload = () -> core.canceler.cancel(job.id().value(), new Tenant("acme"));

            core.clock.advance(Duration.ofSeconds(5));
            Job after = core.poller.pollIfDue(core.stored(job.id()));
            core.runDueWork();

            assertThat(after.status()).isEqualTo(JobStatus.CANCELED);
            assertThat(after.outputs()).isEmpty();
            assertThat(core.bucket.keys("outputs/" + job.id() + "/")).isEmpty();
            assertThat(core.webhooks.sent).extracting(ClientWebhook::type).containsExactly("job.canceled");
        }

        @Test
        void aDeadlinePassedDuringAPollIsNotUndoneByTheAnswer() {
            Core core = new Core();
            core.provider.onStart(new ProviderOutcome.Pending("p-1", null)).onFetch(providerJobId -> {
                // While the provider is being asked, a wake-up finds the job past its processing deadline.
                core.clock.advance(core.config.processingDeadline());
                core.runDueWork();
                return finishedWith(core, Core.png());
            });
            // That wake-up's own poll, made before it judges the deadline.
            core.provider.onFetch(new ProviderOutcome.Pending("p-1", null));
            Job job = core.queuedJob(null);
            core.runner.run(job.id());
            core.clock.advance(Duration.ofSeconds(5));

            Job after = core.poller.pollIfDue(core.stored(job.id()));

            assertThat(after.status()).isEqualTo(JobStatus.FAILED);
            assertThat(after.error().code()).isEqualTo(ErrorCode.PROVIDER_TIMEOUT.wire());
            assertThat(core.bucket.keys("outputs/" + job.id() + "/")).isEmpty();
        }

        @Test
        void manyWakeUpsAtOneDueTimeAskTheProviderOnce() {
            Core core = new Core();
            core.provider
                    .onStart(new ProviderOutcome.Pending("p-1", null))
                    .onFetch(new ProviderOutcome.Pending("p-1", null));
            Job job = core.queuedJob(null);
            core.runner.run(job.id());
            core.clock.advance(Duration.ofSeconds(5));
            Job seen = core.stored(job.id());

            for (int i = 0; i < 5; i++) {
                core.poller.pollIfDue(seen);
            }

            assertThat(core.provider.fetchCalls).hasValue(1);
            assertThat(core.stored(job.id()).dispatch().polls()).isEqualTo(1);
        }
    }

    @Nested
    class WakingUp {
        @Test
        void anEndedJobPastItsTtlLosesItsObjectsAndIsMarkedExpired() {
            Core core = new Core();
            core.provider.onStart(finishedWith(core, Core.png()));
            Job job = core.queuedJob(null);
            core.runner.run(job.id());
            assertThat(core.bucket.keys("outputs/" + job.id() + "/")).isNotEmpty();

            core.clock.advance(core.config.ttl());
            core.runDueWork();

            Job expired = core.stored(job.id());
            assertThat(expired.status()).isEqualTo(JobStatus.EXPIRED);
            assertThat(expired.result()).isNull();
            assertThat(core.bucket.keys("outputs/" + job.id() + "/")).isEmpty();
            assertThat(core.bucket.keys("inputs/" + job.id() + "/")).isEmpty();
        }

        @Test
        void anInterruptedStartRunsAgainOnlyWhereASecondRunIsFree() {
            Core free = new Core(new Core.ScriptedProvider(0, true).onStart(new ProviderOutcome.Pending("p-1", null)));
            Core paid = new Core(new Core.ScriptedProvider(0, false));
            for (Core core : List.of(free, paid)) {
                Job job = core.queuedJob(null);
                // A start claimed by a process that died before calling the provider (or before recording it).
                core.records.apply(job.id(), j -> JobLifecycle.claimStart(j, "hash", Core.T0, RunJob.CLAIM_LEASE));
                core.clock.advance(RunJob.CLAIM_LEASE.plusSeconds(1));
                core.runDueWork();
            }

            assertThat(free.provider.startCalls).hasValue(1);
            assertThat(paid.provider.startCalls).hasValue(0);
            assertThat(free.records
                            .find(free.bucket.list(null, 10).ids().getFirst())
                            .orElseThrow()
                            .status())
                    .isEqualTo(JobStatus.PROCESSING);
            Job presumed = paid.records
                    .find(paid.bucket.list(null, 10).ids().getFirst())
                    .orElseThrow();
            assertThat(presumed.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(presumed.dispatch().providerJobId()).isNull();
        }

        @Test
        void aProcessingJobWhoseWebhookNeverCameIsPolledAndFinished() {
            Core core = new Core();
            core.provider.onStart(new ProviderOutcome.Pending("p-1", null)).onFetch(finishedWith(core, Core.png()));
            Job job = core.queuedJob(null);
            core.runner.run(job.id());

            core.clock.advance(core.config.pollInterval());
            core.runDueWork();

            assertThat(core.provider.fetchCalls).hasValue(1);
            assertThat(core.stored(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    @Nested
    class ClientWebhooks {
        @Test
        void aWebhookAnswered500IsRetriedOnScheduleWithTheSameMessageUntilDelivered() {
            Core core = new Core();
            core.provider.onStart(finishedWith(core, Core.png()));
            core.webhooks.answers.add(500);
            Job job = core.queuedJob(HOOK);
            core.runner.run(job.id());
            core.runDueWork();
            assertThat(core.stored(job.id()).clientWebhooks().getLast().state()).isEqualTo("waiting");

            core.clock.advance(Duration.ofSeconds(4));
            core.runDueWork();
            assertThat(core.webhooks.sent).hasSize(1);
            core.clock.advance(Duration.ofSeconds(2));
            core.runDueWork();

            assertThat(core.webhooks.sent).hasSize(2);
            assertThat(core.webhooks.sent.get(0).messageId())
                    .isEqualTo(core.webhooks.sent.get(1).messageId());
            ClientWebhook delivery = core.stored(job.id()).clientWebhooks().getLast();
            assertThat(delivery.state()).isEqualTo("delivered");
            assertThat(delivery.attempts())
                    .extracting(ClientWebhook.Attempt::status)
                    .containsExactly(500, 200);
        }

        @Test
        void anEndpointThatCannotBeReachedIsRecordedWithWhy() {
            Core core = new Core();
            core.provider.onStart(finishedWith(core, Core.png()));
            core.webhooks.answers.add(-1);
            Job job = core.queuedJob(HOOK);

            core.runner.run(job.id());
            core.runDueWork();

            ClientWebhook.Attempt attempt =
                    core.stored(job.id()).clientWebhooks().getLast().attempts().getFirst();
            assertThat(attempt.status()).isNull();
            assertThat(attempt.error()).contains("connection refused");
        }

        @Test
        void aJobWithoutAWebhookSendsNothing() {
            Core core = new Core();
            core.provider.onStart(finishedWith(core, Core.png()));
            Job job = core.queuedJob(null);

            core.runner.run(job.id());
            core.canceler.cancel(job.id().value(), new Tenant("acme"));

            assertThat(core.webhooks.sent).isEmpty();
            assertThat(core.stored(job.id()).clientWebhooks()).isEmpty();
        }
    }

    @Nested
    class Canceling {
        @Test
        void anotherTenantsJobIsNotFoundAndLeftAsItIs() {
            Core core = new Core(new Core.ScriptedProvider(0, false));
            Job job = core.queuedJob(null);

            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> core.canceler.cancel(job.id().value(), new Tenant("other")))
                    .hasMessageContaining("no such job");
            assertThat(core.stored(job.id()).status()).isEqualTo(JobStatus.QUEUED);
        }

        @Test
        void cancelingAnEndedJobShowsItAsItIsWithItsOutputs() {
            Core core = new Core();
            core.provider.onStart(finishedWith(core, Core.png()));
            Job job = core.queuedJob(null);
            core.runner.run(job.id());

            ShownJob shown = core.canceler.cancel(job.id().value(), new Tenant("acme"));

            assertThat(shown.job().status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(shown.outputs()).hasSize(1);
            assertThat(shown.outputs().getFirst().url()).startsWith("memory://bucket/outputs/");
            assertThat(shown.outputs().getFirst().expiresAt()).isEqualTo(Core.T0.plus(core.config.outputUrlTtl()));
        }
    }

    @Test
    void theCoreTierMakesOnlyTheRequestsAJobNeeds() {
        Core core = new Core();
        core.provider.onStart(finishedWith(core, Core.png()));
        Job job = core.queuedJob(null);

        core.runner.run(job.id());

        // The record: created, claimed, the provider's answer recorded before the copy, succeeded. The outputs:
        // the picture and result.json. No read of the record: each write follows the version this process wrote.
        assertThat(core.bucket.requests())
                .containsEntry("PUT jobs/", 4)
                .containsEntry("PUT outputs/", 2)
                .doesNotContainKey("GET jobs/");
    }
}
