package app.visage.jobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every transition of the job state machine, as the pure function it is: no store, no clock, no Quarkus. */
class JobLifecycleTest {
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(2);
    static final Duration POLL = Duration.ofSeconds(5);
    static final StoredObject PHOTO = new StoredObject("inputs/x/face.jpg", "image/jpeg", 10, 1, 1);
    static final JobError ERROR = new JobError("provider_error", "down", null);

    static Job.Builder job(JobStatus status) {
        return Job.builder()
                .id(JobId.random())
                .status(status)
                .operation(Operation.HEAD_SHOT)
                .provider("modelslab")
                .input(PHOTO)
                .createdAt(T0)
                .updatedAt(T0)
                .expiresAt(T0.plus(Duration.ofHours(24)));
    }

    static Job next(JobLifecycle.Transition t) {
        assertThat(t).isInstanceOf(JobLifecycle.Transition.To.class);
        return ((JobLifecycle.Transition.To) t).next();
    }

    static void declined(JobLifecycle.Transition t) {
        assertThat(t).isInstanceOf(JobLifecycle.Transition.Declined.class);
        assertThat(((JobLifecycle.Transition.Declined) t).why()).isNotBlank();
    }

    static Job claimed() {
        return next(JobLifecycle.claimStart(job(JobStatus.QUEUED).build(), "hash", T0, LEASE));
    }

    static Job processing(String providerJobId) {
        return next(JobLifecycle.accept(
                claimed(), new JobLifecycle.Acceptance(providerJobId, 3, T0.plus(POLL), T0.plus(POLL), null), T0));
    }

    @Nested
    class Starting {
        @Test
        void aQueuedJobWithItsPhotoIsClaimedWithTheTokenHashAndALease() {
            Job after = claimed();
            assertThat(after.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(after.webhookTokenHash()).isEqualTo("hash");
            assertThat(after.dispatch().claimedUntil()).isEqualTo(T0.plus(LEASE));
            assertThat(after.dispatch().claimed()).isTrue();
        }

        @Test
        void noStartIsClaimedTwiceNorWithoutAPhotoNorBeforeItsRetryTime() {
            declined(JobLifecycle.claimStart(claimed(), "other", T0, LEASE));
            declined(JobLifecycle.claimStart(job(JobStatus.QUEUED).input(null).build(), "h", T0, LEASE));
            Job waiting = job(JobStatus.QUEUED)
                    .dispatch(Dispatch.NONE.waitUntil(T0.plusSeconds(5), false))
                    .build();
            declined(JobLifecycle.claimStart(waiting, "h", T0, LEASE));
            assertThat(JobLifecycle.claimStart(waiting, "h", T0.plusSeconds(5), LEASE))
                    .isInstanceOf(JobLifecycle.Transition.To.class);
            declined(JobLifecycle.claimStart(job(JobStatus.PROCESSING).build(), "h", T0, LEASE));
        }

        @Test
        void aClaimThatReachedNoProviderWaitsCountingFailuresOnlyWhenAsked() {
            Job busy = next(JobLifecycle.waitToStart(claimed(), T0.plusSeconds(5), false, T0));
            assertThat(busy.dispatch().claimed()).isFalse();
            assertThat(busy.dispatch().retryAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(busy.dispatch().startFailures()).isZero();
            Job failed = next(JobLifecycle.waitToStart(claimed(), T0.plusSeconds(5), true, T0));
            assertThat(failed.dispatch().startFailures()).isEqualTo(1);
            declined(JobLifecycle.waitToStart(job(JobStatus.QUEUED).build(), T0, false, T0));
        }

        @Test
        void acceptingMovesToProcessingWithTheProvidersIdSlotAndSchedule() {
            Job after = processing("p-1");
            assertThat(after.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(after.dispatch().providerJobId()).isEqualTo("p-1");
            assertThat(after.dispatch().slot()).isEqualTo(3);
            assertThat(after.dispatch().acceptedAt()).isEqualTo(T0);
            assertThat(after.dispatch().nextPollAt()).isEqualTo(T0.plus(POLL));
            assertThat(after.dispatch().claimed()).isFalse();
        }

        @Test
        void aWebhookThatBeatTheStartAnswerFillsInTheProvidersIdOnce() {
            Job unnamed = processing(null);
            Job named = next(JobLifecycle.accept(
                    unnamed,
                    new JobLifecycle.Acceptance("p-2", null, null, T0.plusSeconds(9), null),
                    T0.plusSeconds(1)));
            assertThat(named.dispatch().providerJobId()).isEqualTo("p-2");
            assertThat(named.dispatch().slot()).isEqualTo(3); // the slot it holds, not the webhook's null
            assertThat(named.dispatch().acceptedAt()).isEqualTo(T0); // the deadline still runs from the first accept
            declined(JobLifecycle.accept(named, new JobLifecycle.Acceptance("p-3", null, null, null, null), T0));
        }

        @Test
        void aSynchronousAnswerIsRecordedUntilTheOutputsAreCopied() {
            Dispatch.Answer answer = new Dispatch.Answer(List.of(URI.create("https://cdn.example/1.png")), Map.of());
            Job after = next(
                    JobLifecycle.accept(claimed(), new JobLifecycle.Acceptance(null, null, null, null, answer), T0));
            assertThat(after.dispatch().answer()).isEqualTo(answer);
            Job done = next(JobLifecycle.succeed(after, List.of(PHOTO), Map.of(), T0));
            assertThat(done.dispatch().answer()).isNull();
        }

        @Test
        void anInterruptedStartIsEitherReleasedOrPresumedStartedButNeverBoth() {
            Job released = next(JobLifecycle.releaseInterruptedStart(claimed(), T0.plus(LEASE)));
            assertThat(released.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(JobLifecycle.startable(released, T0.plus(LEASE))).isTrue();
            declined(JobLifecycle.presumeStarted(released, T0));

            Job presumed = next(JobLifecycle.presumeStarted(claimed(), T0.plus(LEASE)));
            assertThat(presumed.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(presumed.dispatch().providerJobId()).isNull();
            assertThat(presumed.dispatch().acceptedAt()).isEqualTo(T0.plus(LEASE));
            declined(JobLifecycle.releaseInterruptedStart(presumed, T0));
        }
    }

    @Nested
    class Polling {
        @Test
        void aPollIsClaimedOncePerDueTimeWithBackOff() {
            Job job = processing("p-1");
            declined(JobLifecycle.claimPoll(job, T0, POLL));
            Job first = next(JobLifecycle.claimPoll(job, T0.plus(POLL), POLL));
            assertThat(first.dispatch().polls()).isEqualTo(1);
            assertThat(first.dispatch().nextPollAt()).isEqualTo(T0.plus(POLL).plus(POLL));
            declined(JobLifecycle.claimPoll(first, T0.plus(POLL), POLL));
            Job second = next(JobLifecycle.claimPoll(first, T0.plus(POLL.multipliedBy(2)), POLL));
            assertThat(second.dispatch().nextPollAt()).isEqualTo(T0.plus(POLL.multipliedBy(4)));
        }

        @Test
        void aJobWithNothingToAskByIsNeverPolled() {
            assertThat(JobLifecycle.pollDue(processing(null), T0.plus(Duration.ofHours(1))))
                    .isFalse();
            assertThat(JobLifecycle.pollDue(claimed(), T0.plus(Duration.ofHours(1))))
                    .isFalse();
        }

        @Test
        void stillRunningKeepsOrUpdatesTheEstimateAndClearsFailures() {
            Job failing = next(JobLifecycle.fetchFailed(processing("p-1"), POLL, T0));
            assertThat(failing.dispatch().fetchFailures()).isEqualTo(1);
            assertThat(failing.dispatch().nextPollAt()).isEqualTo(T0.plus(POLL));
            Job running = next(JobLifecycle.stillRunning(failing, null, POLL, T0));
            assertThat(running.dispatch().fetchFailures()).isZero();
            assertThat(running.dispatch().eta()).isEqualTo(failing.dispatch().eta());
            Job later = next(JobLifecycle.stillRunning(failing, Duration.ofSeconds(30), POLL, T0));
            assertThat(later.dispatch().eta()).isEqualTo(T0.plusSeconds(30));
        }

        @Test
        void aBusyProviderSetsTheNextPoll() {
            Job after = next(JobLifecycle.providerBusy(processing("p-1"), T0.plusSeconds(42), T0));
            assertThat(after.dispatch().nextPollAt()).isEqualTo(T0.plusSeconds(42));
        }

        @Test
        void whatAPollLearnsIsNotWrittenOnAJobThatEnded() {
            Job canceled = next(JobLifecycle.cancel(processing("p-1"), T0));
            declined(JobLifecycle.stillRunning(canceled, null, POLL, T0));
            declined(JobLifecycle.providerBusy(canceled, T0, T0));
            declined(JobLifecycle.fetchFailed(canceled, POLL, T0));
        }
    }

    @Nested
    class Ending {
        @Test
        void aProcessingJobEndsOnceWhicheverFinisherComesFirst() {
            Job job = processing("p-1");
            Job succeeded = next(JobLifecycle.succeed(job, List.of(PHOTO), Map.of("k", 1), T0));
            assertThat(succeeded.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(succeeded.outputs()).containsExactly(PHOTO);
            declined(JobLifecycle.fail(succeeded, ERROR, T0));
            declined(JobLifecycle.cancel(succeeded, T0));
            declined(JobLifecycle.succeed(succeeded, List.of(), null, T0));
        }

        @Test
        void aQueuedJobMayFailOrBeCanceledButNotSucceed() {
            assertThat(next(JobLifecycle.fail(claimed(), ERROR, T0)).error()).isEqualTo(ERROR);
            assertThat(next(JobLifecycle.cancel(claimed(), T0)).status()).isEqualTo(JobStatus.CANCELED);
            declined(JobLifecycle.succeed(claimed(), List.of(), null, T0));
        }

        @Test
        void theWorkersVerdictHoldsOnlyIfTheJobIsStillWhereItSawIt() {
            Job processing = processing("p-1");
            declined(JobLifecycle.failIfStill(processing, JobStatus.QUEUED, ERROR, T0));
            assertThat(next(JobLifecycle.failIfStill(processing, JobStatus.PROCESSING, ERROR, T0))
                            .status())
                    .isEqualTo(JobStatus.FAILED);
        }

        @Test
        void expiryTakesOnlyEndedJobsAndDropsTheirObjectsAndMeasurements() {
            declined(JobLifecycle.expire(processing("p-1"), T0));
            Job succeeded = next(JobLifecycle.succeed(processing("p-1"), List.of(PHOTO), Map.of("skin", "x"), T0));
            Job expired = next(JobLifecycle.expire(succeeded, T0.plus(Duration.ofDays(1))));
            assertThat(expired.status()).isEqualTo(JobStatus.EXPIRED);
            assertThat(expired.input()).isNull();
            assertThat(expired.outputs()).isEmpty();
            assertThat(expired.result()).isNull();
            declined(JobLifecycle.expire(expired, T0));
        }
    }

    @Nested
    class Uploading {
        final UploadSlot slot = new UploadSlot("uploads/x/face.jpg", "image/jpeg", T0.plusSeconds(900));

        @Test
        void theUploadedPhotoIsAttachedOnceAndOnlyForItsOwnKey() {
            Job waiting = job(JobStatus.QUEUED).input(null).upload(slot).build();
            declined(JobLifecycle.attachUpload(waiting, "uploads/other/face.jpg", PHOTO));
            Job attached = next(JobLifecycle.attachUpload(waiting, slot.key(), PHOTO));
            assertThat(attached.input()).isEqualTo(PHOTO);
            declined(JobLifecycle.attachUpload(attached, slot.key(), PHOTO));
        }
    }

    @Nested
    class ClientWebhooks {
        Job endedWithWebhook() {
            return next(JobLifecycle.succeed(
                    processing("p-1").toBuilder()
                            .webhook("https://app.example/hook")
                            .build(),
                    List.of(),
                    null,
                    T0));
        }

        @Test
        void aDeliveryIsDueOnceTheJobEndsAndIsClaimedOnce() {
            assertThat(JobLifecycle.deliveryDue(processing("p-1"), T0)).isFalse();
            Job ended = endedWithWebhook();
            assertThat(JobLifecycle.deliveryDue(ended, T0)).isTrue();
            Job sending = next(JobLifecycle.claimDelivery(ended, T0));
            assertThat(sending.clientWebhooks().getLast().state()).isEqualTo("sending");
            assertThat(sending.clientWebhooks().getLast().messageId())
                    .isEqualTo("msg_" + ended.id().value());
            assertThat(sending.clientWebhooks().getLast().type()).isEqualTo("job.succeeded");
            declined(JobLifecycle.claimDelivery(sending, T0));
        }

        @Test
        void aFailedAttemptIsRecordedAndRetriedOnScheduleWithTheSameMessage() {
            Job sending = next(JobLifecycle.claimDelivery(endedWithWebhook(), T0));
            Job waiting = next(JobLifecycle.recordDelivery(
                    sending, "msg_" + sending.id().value(), new ClientWebhook.Attempt(T0, 500, null), 0.5, null, T0));
            assertThat(waiting.clientWebhooks().getLast().state()).isEqualTo("waiting");
            assertThat(waiting.clientWebhooks().getLast().nextAttemptAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(JobLifecycle.deliveryDue(waiting, T0.plusSeconds(4))).isFalse();
            Job retry = next(JobLifecycle.claimDelivery(waiting, T0.plusSeconds(5)));
            assertThat(retry.clientWebhooks().getLast().messageId())
                    .isEqualTo(sending.clientWebhooks().getLast().messageId());
            Job delivered = next(JobLifecycle.recordDelivery(
                    retry,
                    "msg_" + retry.id().value(),
                    new ClientWebhook.Attempt(T0.plusSeconds(5), 204, null),
                    0.5,
                    null,
                    T0.plusSeconds(5)));
            assertThat(delivered.clientWebhooks().getLast().state()).isEqualTo("delivered");
            assertThat(delivered.clientWebhooks().getLast().attempts()).hasSize(2);
            assertThat(JobLifecycle.deliveryDue(delivered, T0.plus(Duration.ofDays(2))))
                    .isFalse();
        }

        @Test
        void noAttemptIsRecordedWithoutAClaimedDelivery() {
            Job ended = endedWithWebhook();
            declined(JobLifecycle.recordDelivery(
                    ended, "msg_" + ended.id().value(), new ClientWebhook.Attempt(T0, 200, null), 0.5, null, T0));
        }
    }

    @Nested
    class WebhookEvents {
        final Instant t1 = T0.plusSeconds(1);

        /** Started at its provider, with a webhook asking for {@code events}. */
        Job started(WebhookEvent... events) {
            Job queued = next(JobLifecycle.claimStart(
                    job(JobStatus.QUEUED)
                            .webhook("https://app.example/hook")
                            .webhookEvents(java.util.Set.of(events))
                            .build(),
                    "hash",
                    T0,
                    LEASE));
            return next(
                    JobLifecycle.accept(queued, new JobLifecycle.Acceptance("p-1", 0, null, T0.plus(POLL), null), T0));
        }

        Job attempt(Job job, int status, Instant at) {
            Job sending = next(JobLifecycle.claimDelivery(job, at));
            String id = sending.clientWebhooks().stream()
                    .filter(w -> w.state().equals("sending"))
                    .findFirst()
                    .orElseThrow()
                    .messageId();
            return next(JobLifecycle.recordDelivery(
                    sending, id, new ClientWebhook.Attempt(at, status, null), 0.5, null, at));
        }

        @Test
        void theStartIsOwedOnceEvenWhenTheJobRunsAgain() {
            Job job = started(WebhookEvent.STARTED);
            assertThat(job.clientWebhooks()).extracting(ClientWebhook::type).containsExactly("job.started");
            assertThat(JobLifecycle.deliveryDue(job, T0)).isTrue();

            Attempt run = new Attempt("modelslab", "p-1", Attempt.RUN_AGAIN, "x", "again", t1);
            Job again = next(JobLifecycle.runAgain(job, run, t1, t1));
            Job restarted = next(JobLifecycle.accept(
                    next(JobLifecycle.claimStart(again, "h2", t1, LEASE)),
                    new JobLifecycle.Acceptance("p-2", 0, null, t1.plus(POLL), null),
                    t1));

            assertThat(restarted.clientWebhooks()).hasSize(1);
        }

        @Test
        void aCanceledJobStillOwesItsEndAfterItsStart() {
            Job job = attempt(started(WebhookEvent.STARTED, WebhookEvent.COMPLETED), 500, T0);
            Job canceled = next(JobLifecycle.cancel(job, t1));

            assertThat(canceled.clientWebhooks())
                    .extracting(ClientWebhook::type)
                    .containsExactly("job.started", "job.canceled");
            assertThat(JobLifecycle.deliveryDue(canceled, t1))
                    .as("the start's retry is not due yet, and the end waits for it")
                    .isFalse();
            Job startDone = attempt(canceled, 200, T0.plusSeconds(6));
            assertThat(JobLifecycle.deliveryDue(startDone, T0.plusSeconds(6))).isTrue();
            Job endDone = attempt(startDone, 200, T0.plusSeconds(6));
            assertThat(endDone.clientWebhooks())
                    .allSatisfy(w -> assertThat(w.state()).isEqualTo("delivered"));
        }

        @Test
        void goneStopsEveryLaterEventUntilAReplay() {
            Job gone = attempt(started(WebhookEvent.STARTED, WebhookEvent.COMPLETED), 410, T0);
            Job ended = next(JobLifecycle.fail(gone, ERROR, t1));

            assertThat(JobLifecycle.deliveryDue(ended, T0.plus(Duration.ofDays(3))))
                    .isFalse();
            assertThat(JobLifecycle.nextWake(ended, Duration.ofHours(1))).contains(ended.expiresAt());

            Job replayed = next(JobLifecycle.replayWebhook(ended, t1));
            Job startDone = attempt(replayed, 200, t1);
            assertThat(JobLifecycle.deliveryDue(startDone, t1))
                    .as("the end follows the replayed start")
                    .isTrue();
        }

        @Test
        void aSuccessOwesItsOutputThenItsEndAndNothingIsOwedWithoutAWebhook() {
            Job done = next(
                    JobLifecycle.succeed(started(WebhookEvent.OUTPUT, WebhookEvent.COMPLETED), List.of(), null, t1));
            assertThat(done.clientWebhooks())
                    .extracting(ClientWebhook::type)
                    .containsExactly("job.output", "job.succeeded");

            Job silent = next(JobLifecycle.succeed(processing("p-1"), List.of(), null, t1));
            assertThat(silent.clientWebhooks()).isEmpty();
        }

        @Test
        void aReplayIsOneNewRoundOfTheLastEventTried() {
            Job job = next(JobLifecycle.succeed(started(WebhookEvent.COMPLETED), List.of(), null, T0));
            declined(JobLifecycle.replayWebhook(job, t1)); // nothing tried yet
            Job delivered = attempt(job, 200, T0);

            Job replayed = next(JobLifecycle.replayWebhook(delivered, t1));
            ClientWebhook round = replayed.clientWebhooks().getLast();
            assertThat(round.state()).isEqualTo("waiting");
            assertThat(round.nextAttemptAt()).isEqualTo(t1);
            assertThat(round.roundStart()).isEqualTo(1);
            declined(JobLifecycle.replayWebhook(replayed, t1)); // a replay already waits
            declined(JobLifecycle.replayWebhook(next(JobLifecycle.claimDelivery(replayed, t1)), t1)); // in flight
        }

        @Test
        void replaysKeepOnlyTheLatestAttempts() {
            Job job =
                    attempt(next(JobLifecycle.succeed(started(WebhookEvent.COMPLETED), List.of(), null, T0)), 200, T0);
            Instant at = T0;
            for (int i = 0; i < ClientWebhook.KEPT_ATTEMPTS + 5; i++) {
                at = at.plusSeconds(10);
                job = attempt(next(JobLifecycle.replayWebhook(job, at)), 200, at);
            }

            ClientWebhook kept = job.clientWebhooks().getLast();
            assertThat(kept.attempts()).hasSize(ClientWebhook.KEPT_ATTEMPTS);
            assertThat(kept.attempts().getLast().at()).isEqualTo(at);
            assertThat(kept.roundStart()).isEqualTo(ClientWebhook.KEPT_ATTEMPTS - 1);
        }
    }

    @Nested
    class RunningAgainAndFallingBack {
        static final Attempt RUN_ONE =
                new Attempt("modelslab", "p-1", Attempt.RUN_AGAIN, "PipelineError", "failed", T0);

        @Test
        void aRunToRunAgainQueuesTheJobAnewWaitingWithTheRunKept() {
            Job again = next(JobLifecycle.runAgain(processing("p-1"), RUN_ONE, T0.plusSeconds(2), T0));

            assertThat(again.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(again.dispatch().providerJobId()).isNull();
            assertThat(again.dispatch().claimed()).isFalse();
            assertThat(again.dispatch().retryAt()).isEqualTo(T0.plusSeconds(2));
            assertThat(again.attempts()).containsExactly(RUN_ONE);
            assertThat(again.reruns()).isEqualTo(1);
            assertThat(JobLifecycle.startable(again, T0.plusSeconds(1))).isFalse();
            assertThat(JobLifecycle.startable(again, T0.plusSeconds(2))).isTrue();
        }

        @Test
        void onlyTheCurrentRunOfAProcessingJobMayBeRunAgain() {
            declined(JobLifecycle.runAgain(processing("p-2"), RUN_ONE, T0, T0));
            declined(JobLifecycle.runAgain(claimed(), RUN_ONE, T0, T0));
            declined(JobLifecycle.runAgain(job(JobStatus.SUCCEEDED).build(), RUN_ONE, T0, T0));
        }

        @Test
        void aRefusedStartPassesTheJobToItsNextProviderAtOnce() {
            Job claimed = next(JobLifecycle.claimStart(
                    job(JobStatus.QUEUED)
                            .fallbacks(List.of("modelslab-enterprise", "local"))
                            .build(),
                    "hash",
                    T0,
                    LEASE));
            Attempt refused = new Attempt("modelslab", null, Attempt.REFUSED, "402", "no credits", T0);

            Job passed = next(JobLifecycle.fallBack(claimed, refused, T0));

            assertThat(passed.provider()).isEqualTo("modelslab-enterprise");
            assertThat(passed.fallbacks()).containsExactly("local");
            assertThat(passed.attempts()).containsExactly(refused);
            assertThat(JobLifecycle.startable(passed, T0)).isTrue();
        }

        @Test
        void noFallBackOnceTheProviderTookTheJobOrWithNothingLeft() {
            Attempt refused = new Attempt("modelslab", null, Attempt.REFUSED, "402", "no credits", T0);
            declined(JobLifecycle.fallBack(
                    processing("p-1").toBuilder().fallbacks(List.of("local")).build(), refused, T0));
            declined(JobLifecycle.fallBack(claimed(), refused, T0));
        }
    }
}
