package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobError;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.port.JobStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Compare-and-swap on job records in the (embedded) S3: racing finishers, exactly one wins. */
@QuarkusTest
class JobRecordsConcurrencyTest {
    private static final int FINISHERS = 12;

    @Inject
    JobRecords records;

    @Inject
    JobStore store;

    static Job processingJob() {
        Instant now = Instant.now();
        return Job.builder()
                .id(JobId.random())
                .status(JobStatus.PROCESSING)
                .operation(Operation.HEAD_SHOT)
                .provider("local")
                .createdAt(now)
                .updatedAt(now)
                .expiresAt(now.plus(Duration.ofHours(24)))
                .build();
    }

    @RepeatedTest(5)
    void manyConcurrentFinishersMakeExactlyOneTransition() throws Exception {
        Job job = processingJob();
        records.create(job);
        ExecutorService pool = Executors.newFixedThreadPool(FINISHERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<Job>>> results = new ArrayList<>();
        for (int i = 0; i < FINISHERS; i++) {
            int n = i;
            Callable<Optional<Job>> finisher = () -> {
                start.await();
                return switch (n % 3) {
                    case 0 ->
                        records.apply(
                                job.id(),
                                j -> JobLifecycle.succeed(
                                        j,
                                        List.of(new StoredObject(
                                                "outputs/" + j.id() + "/" + n + ".png", "image/png", n, 1, 1)),
                                        null,
                                        Instant.now()));
                    case 1 ->
                        records.apply(
                                job.id(),
                                j -> JobLifecycle.fail(
                                        j, new JobError("provider_error", "finisher " + n, null), Instant.now()));
                    default -> records.apply(job.id(), j -> JobLifecycle.cancel(j, Instant.now()));
                };
            };
            results.add(pool.submit(finisher));
        }
        start.countDown();
        List<Job> winners = new ArrayList<>();
        for (Future<Optional<Job>> result : results) {
            result.get().ifPresent(winners::add);
        }
        pool.shutdown();
        assertThat(winners).hasSize(1);
        Job stored = records.find(job.id()).orElseThrow();
        assertThat(stored).isEqualTo(winners.get(0));
        assertThat(stored.status().isTerminal()).isTrue();
    }

    /**
     * A worker step's read of an older version can be remembered after a newer write elsewhere; a change that
     * relies on the newer record (a client webhook's claim) must then see the stored record, not fail.
     */
    @Test
    void aChangeThatFailsOnAStaleRememberedRecordIsAppliedToTheStoredOne() {
        Job job = processingJob();
        records.create(job);
        JobStore.Versioned created = store.find(job.id()).orElseThrow();
        Job claimed = job.withClientWebhooks(
                List.of(new ClientWebhook("msg_" + job.id(), "job.succeeded", "sending", Instant.now(), null, 0)),
                Instant.now());
        store.replace(claimed, created.version()).orElseThrow(); // written elsewhere: this process never saw it

        Optional<Job> after = records.apply(
                job.id(),
                current -> JobLifecycle.recordDelivery(
                        current,
                        "msg_" + job.id(),
                        new ClientWebhook.Attempt(Instant.now(), 200, null),
                        0.5,
                        null,
                        Instant.now()));

        assertThat(after).isPresent();
        assertThat(records.find(job.id())
                        .orElseThrow()
                        .clientWebhooks()
                        .getLast()
                        .attempts())
                .hasSize(1);
    }

    @Test
    void terminalStatesAreFinalAndExpiryIsTheOnlyWayOut() {
        Job job = processingJob();
        records.create(job);
        assertThat(records.apply(job.id(), j -> JobLifecycle.cancel(j, Instant.now())))
                .isPresent();
        assertThat(records.apply(job.id(), j -> JobLifecycle.succeed(j, List.of(), null, Instant.now())))
                .isEmpty();
        assertThat(records.apply(
                        job.id(),
                        j -> JobLifecycle.accept(
                                j, new JobLifecycle.Acceptance("late", null, null, null, null), Instant.now())))
                .isEmpty();
        assertThat(records.apply(job.id(), j -> JobLifecycle.expire(j, Instant.now())))
                .isPresent();
        assertThat(records.apply(
                        job.id(),
                        j -> JobLifecycle.fail(j, new JobError("provider_error", "late", null), Instant.now())))
                .isEmpty();
        assertThat(records.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.EXPIRED);
    }

    /** A transition that would break the state machine's rules is refused by the repository, not written. */
    @Test
    void anIllegalMoveIsRefusedEvenIfATransitionProducedIt() {
        Job job = processingJob();
        records.create(job);
        records.apply(job.id(), j -> JobLifecycle.cancel(j, Instant.now()));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> records.apply(
                        job.id(), j -> new JobLifecycle.Transition.To(j.moveTo(JobStatus.PROCESSING, Instant.now()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("illegal transition CANCELED -> PROCESSING");
        assertThat(records.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aJobRecordIsCreatedOnce() {
        Job job = processingJob();
        records.create(job);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> records.create(job))
                .isInstanceOf(JobStore.AlreadyExists.class);
    }
}
