package app.visage.functions;

import app.visage.functions.events.ScheduledEvent;
import app.visage.jobs.usecase.SweepJobs;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;

/** EventBridge schedule (every 15 min): the sweep. */
@ApplicationScoped
public class CleanupFunction {
    private final SweepJobs sweepJobs;

    public CleanupFunction(SweepJobs sweepJobs) {
        this.sweepJobs = sweepJobs;
    }

    @Funq("cleanup")
    public SweepJobs.Summary cleanup(ScheduledEvent event) {
        return sweepJobs.sweep();
    }
}
