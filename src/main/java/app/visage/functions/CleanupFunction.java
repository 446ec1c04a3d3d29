package app.visage.functions;

import app.visage.functions.events.ScheduledEvent;
import app.visage.jobs.port.Metrics;
import app.visage.jobs.usecase.SendDueWork;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;

/** EventBridge schedule: the due-work index's markers whose time is near go to the work queue. */
@ApplicationScoped
public class CleanupFunction {
    private final SendDueWork sendDueWork;
    private final Metrics metrics;

    public CleanupFunction(SendDueWork sendDueWork, Metrics metrics) {
        this.metrics = metrics;
        this.sendDueWork = sendDueWork;
    }

    @Funq("cleanup")
    public SendDueWork.Summary cleanup(ScheduledEvent event) {
        metrics.invoked("cleanup");
        return sendDueWork.send();
    }
}
