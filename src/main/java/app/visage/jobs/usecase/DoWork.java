package app.visage.jobs.usecase;

import app.visage.jobs.model.Work;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code worker}'s one use case: one step of work from the queue. */
@ApplicationScoped
public class DoWork {

    /**
     * Does {@code work}; throws if it could not be done, so the queue delivers it again.
     *
     * @param receiveCount how many times the queue has delivered this message (1 the first time)
     */
    public void handle(Work work, int receiveCount) {
        throw new UnsupportedOperationException("not yet");
    }
}
