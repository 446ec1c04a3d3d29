package app.visage.jobs.usecase;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Work;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.Provider;
import app.visage.jobs.port.SlotStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * At most {@link Provider#maxInFlight()} jobs at a provider at once, across every Lambda: a
 * counting semaphore of numbered slot objects in the bucket. A slot whose holder is no longer
 * active (finished, or left waiting after a crash) is free to take, so a crash never leaks one.
 * A job that finds every slot taken joins the provider's line; a freed slot wakes the worker to start
 * the job first in it.
 */
@ApplicationScoped
public class ProviderSlots {
    private static final byte[] PLACE = new byte[0];

    private final SlotStore store;
    private final FileStore files;
    private final JobRecords records;
    private final WorkSchedule schedule;
    private final Clock clock;

    public ProviderSlots(SlotStore store, FileStore files, JobRecords records, WorkSchedule schedule, Clock clock) {
        this.store = store;
        this.files = files;
        this.records = records;
        this.schedule = schedule;
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

    /**
     * A slot for a job that found none: it joins the line, then tries once more, since a slot freed between its
     * first try and its joining would have found the line empty and woken no one. Empty: it waits in line.
     */
    public Optional<Integer> acquireOrJoinLine(Provider provider, Job job) {
        String place = Keys.inLine(provider.id(), job.createdAt(), job.id());
        files.put(place, PLACE, "application/octet-stream");
        Optional<Integer> slot = acquire(provider, job.id());
        if (slot.isPresent()) {
            files.delete(List.of(place));
        }
        return slot;
    }

    /** Frees slot {@code n} if {@code job} still holds it, and wakes the worker for the line if anyone waits. */
    public void release(Provider provider, JobId job, Integer n) {
        if (n == null) {
            return;
        }
        boolean freed = store.read(provider.id(), n)
                .filter(slot -> job.equals(slot.holder()))
                .map(slot -> store.replace(provider.id(), n, null, slot.version()))
                .orElse(false);
        if (freed && !files.list(Keys.line(provider.id())).isEmpty()) {
            schedule.send(Work.nextInLine(provider.id(), clock.instant()));
        }
    }

    /** The jobs in {@code provider}'s line, longest waiting first, and the keys of their places. */
    public List<String> line(Provider provider) {
        return files.list(Keys.line(provider.id())).stream()
                .map(FileStore.ObjectInfo::key)
                .toList();
    }

    /** Takes {@code place} out of its line. */
    public void leaveLine(String place) {
        files.delete(List.of(place));
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
