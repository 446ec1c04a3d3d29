package app.visage.functions;

import app.visage.functions.events.ScheduledEvent;
import app.visage.jobs.usecase.SendDueWork;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;

/** EventBridge schedule: the due-work index's markers whose time is near go to the work queue. */
@ApplicationScoped
public class CleanupFunction {
    private final SendDueWork sendDueWork;

    public CleanupFunction(SendDueWork sendDueWork) {
        this.sendDueWork = sendDueWork;
    }

    @Funq("cleanup")
    public SendDueWork.Summary cleanup(ScheduledEvent event) {
        return sendDueWork.send();
    }
}
