package app.visage.jobs.usecase;

import app.visage.jobs.model.Work;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code worker}'s one use case: one step of work from the queue. */
@ApplicationScoped
public class DoWork {
    private final TendJob tendJob;
    private final ConfirmWebhook confirmWebhook;
    private final StartNextInLine startNextInLine;

    public DoWork(TendJob tendJob, ConfirmWebhook confirmWebhook, StartNextInLine startNextInLine) {
        this.tendJob = tendJob;
        this.confirmWebhook = confirmWebhook;
        this.startNextInLine = startNextInLine;
    }

    /**
     * Does {@code work}; throws if it could not be done, so the queue delivers it again.
     *
     * @param receiveCount how many times the queue has delivered this message (1 the first time)
     */
    public void handle(Work work, int receiveCount) {
        switch (work.kind()) {
            case WAKE -> tendJob.tend(work.job(), work.at(), receiveCount > 1);
            case CONFIRM -> confirmWebhook.confirm(work.job(), work.providerJobId());
            case NEXT_IN_LINE -> startNextInLine.startNext(work.provider());
        }
    }
}
