package app.visage.jobs.port;

import app.visage.jobs.model.Work;
import java.time.Duration;

/** Port: the work queue the {@code worker} function consumes (SQS in AWS, ElasticMQ in local mode and tests). */
public interface WorkQueue {
    /** The longest delay a message may have (SQS's DelaySeconds ceiling); longer waits go to the due-work index. */
    Duration MAX_DELAY = Duration.ofMinutes(15);

    /**
     * Sends {@code work}, visible to the worker after {@code delay} (0 to {@link #MAX_DELAY}, rounded up to
     * whole seconds). Throws if the queue did not take it.
     */
    void send(Work work, Duration delay);
}
