package app.visage.jobs.usecase;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobLifecycle;
import app.visage.jobs.model.Keys;
import app.visage.jobs.port.Provider;
import app.visage.logs.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * A slot of a provider freed: the job that has waited longest for one starts now. Places whose job no longer
 * waits (started by its own back-stop, canceled, gone) are taken out of the line on the way.
 */
@ApplicationScoped
public class StartNextInLine {
    private final Providers providers;
    private final ProviderSlots slots;
    private final JobRecords records;
    private final RunJob runner;

    public StartNextInLine(Providers providers, ProviderSlots slots, JobRecords records, RunJob runner) {
        this.providers = providers;
        this.slots = slots;
        this.records = records;
        this.runner = runner;
    }

    public void startNext(String providerId) {
        Provider provider = providers.get(providerId);
        for (String place : slots.line(provider)) {
            Optional<Job> waiting = records.find(Keys.inLineJob(place)).filter(JobLifecycle::waitingForSlot);
            if (waiting.isEmpty()) {
                slots.leaveLine(place);
                continue;
            }
            Job after;
            try (LogContext.Scope ignored = LogContext.job(waiting.get().id())) {
                after = runner.runInFreedSlot(waiting.get().id());
            }
            if (!JobLifecycle.waitingForSlot(after)) {
                slots.leaveLine(place);
            }
            return; // one slot freed, one start tried: a job that lost the slot to another keeps its place
        }
    }
}
