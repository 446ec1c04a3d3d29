package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.Dispatch;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobError;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.port.Provider;
import app.visage.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider slots on the embedded S3: a semaphore that holds across processes and never leaks. */
@QuarkusTest
class ProviderSlotsTest {
    private static final AtomicInteger PROVIDERS = new AtomicInteger();

    @Inject
    ProviderSlots slots;

    @Inject
    JobRecords records;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** A provider of its own per test, so slots left by one test are not another's. */
    private static Provider limitedTo(int max) {
        String id = "limited-" + PROVIDERS.incrementAndGet();
        return new Provider() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Map<Operation, Set<Param>> operations() {
                return Map.of();
            }

            @Override
            public int maxInFlight() {
                return max;
            }

            @Override
            public ProviderOutcome start(ProviderCall call) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private Job job(JobStatus status, Dispatch dispatch) {
        Instant now = clock.instant();
        Job job = Job.builder()
                .id(JobId.random())
                .status(status)
                .operation(Operation.HEAD_SHOT)
                .provider("limited")
                .createdAt(now)
                .updatedAt(now)
                .expiresAt(now.plus(Duration.ofHours(24)))
                .dispatch(dispatch)
                .build();
        records.create(job);
        return job;
    }

    private Job processing() {
        return job(JobStatus.PROCESSING, Dispatch.NONE);
    }

    @Test
    void racingJobsTakeAtMostMaxSlots() {
        Provider provider = limitedTo(3);
        List<CompletableFuture<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Job job = processing();
            racers.add(CompletableFuture.supplyAsync(
                    () -> slots.acquire(provider, job.id()).isPresent()));
        }
        assertThat(racers.stream()
                        .map(CompletableFuture::join)
                        .filter(Boolean::booleanValue)
                        .count())
                .isEqualTo(3);
    }

    @Test
    void aReleasedSlotIsTakenByTheNextJob() {
        Provider provider = limitedTo(1);
        Job first = processing();
        Job second = processing();
        int slot = slots.acquire(provider, first.id()).orElseThrow();
        assertThat(slots.acquire(provider, second.id())).isEmpty();

        slots.release(provider, first.id(), slot);

        assertThat(slots.acquire(provider, second.id())).contains(slot);
    }

    @Test
    void aSlotWhoseHolderEndedWithoutReleasingItIsFreeAgain() {
        Provider provider = limitedTo(1);
        Job crashed = processing();
        slots.acquire(provider, crashed.id()).orElseThrow();
        records.apply(
                crashed.id(),
                j -> JobLifecycle.fail(
                        j, JobError.of(app.visage.errors.ErrorCode.PROVIDER_ERROR, "gone"), clock.instant()));

        assertThat(slots.acquire(provider, processing().id())).contains(0);
    }

    @Test
    void aClaimThatOutlivedItsLeaseNoLongerHoldsItsSlot() {
        Provider provider = limitedTo(1);
        Job starting = job(JobStatus.QUEUED, Dispatch.NONE.claim(clock.instant().plus(Duration.ofMinutes(2))));
        slots.acquire(provider, starting.id()).orElseThrow();
        assertThat(slots.acquire(provider, processing().id())).isEmpty();

        clock.advance(Duration.ofMinutes(3));

        assertThat(slots.acquire(provider, processing().id())).contains(0);
    }

    @Test
    void releasingASlotAnotherJobNowHoldsChangesNothing() {
        Provider provider = limitedTo(1);
        Job old = processing();
        int slot = slots.acquire(provider, old.id()).orElseThrow();
        records.apply(old.id(), j -> JobLifecycle.cancel(j, clock.instant()));
        Job next = processing();
        assertThat(slots.acquire(provider, next.id())).contains(slot);

        slots.release(provider, old.id(), slot);

        assertThat(slots.acquire(provider, processing().id())).isEmpty();
    }
}
