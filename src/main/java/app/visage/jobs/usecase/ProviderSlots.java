package app.visage.jobs.usecase;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.port.Provider;
import app.visage.jobs.port.SlotStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * At most {@link Provider#maxInFlight()} jobs at a provider at once, across every Lambda: a
 * counting semaphore of numbered slot objects in the bucket. A slot whose holder is no longer
 * active (finished, or left waiting after a crash) is free to take, so a crash never leaks one.
 */
@ApplicationScoped
public class ProviderSlots {
    private final SlotStore store;
    private final JobRecords records;
    private final Clock clock;

    public ProviderSlots(SlotStore store, JobRecords records, Clock clock) {
        this.store = store;
        this.records = records;
        this.clock = clock;
    }

    /** A slot for {@code job}, or empty when every slot is held by an active job. */
    public Optional<Integer> acquire(Provider provider, JobId job) {
        for (int n = 0; n < provider.maxInFlight(); n++) {
            Optional<SlotStore.Slot> slot = store.read(provider.id(), n);
            boolean taken = slot.isEmpty()
                    ? store.create(provider.id(), n, job)
                    : isFree(slot.get(), job)
                            && store.replace(provider.id(), n, job, slot.get().version());
            if (taken) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** Frees slot {@code n} if {@code job} still holds it. */
    public void release(Provider provider, JobId job, Integer n) {
        if (n == null) {
            return;
        }
        store.read(provider.id(), n)
                .filter(slot -> job.equals(slot.holder()))
                .ifPresent(slot -> store.replace(provider.id(), n, null, slot.version()));
    }

    private boolean isFree(SlotStore.Slot slot, JobId asking) {
        if (slot.holder() == null || slot.holder().equals(asking)) {
            return true;
        }
        return records.find(slot.holder()).map(holder -> !isActive(holder)).orElse(true);
    }

    /** Being started right now, or at the provider. */
    private boolean isActive(Job job) {
        return job.status() == JobStatus.PROCESSING
                || job.status() == JobStatus.QUEUED
                        && job.dispatch().claimed()
                        && clock.instant().isBefore(job.dispatch().claimedUntil());
    }
}
