package app.visage.functions;

import app.visage.functions.events.SqsBatchResponse;
import app.visage.functions.events.SqsEvent;
import app.visage.jobs.port.Metrics;
import app.visage.jobs.usecase.DoWork;
import app.visage.messages.UnreadableMessage;
import app.visage.messages.WorkMessages;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** The SQS work queue (event source mapping, partial batch responses): each message is one step of work. */
@ApplicationScoped
public class WorkerFunction {
    private static final Logger LOG = Logger.getLogger(WorkerFunction.class);

    private final DoWork doWork;
    private final Metrics metrics;

    public WorkerFunction(DoWork doWork, Metrics metrics) {
        this.metrics = metrics;
        this.doWork = doWork;
    }

    /** Does each message's work; a message that could not be read or done is reported, to be delivered again. */
    @Funq("worker")
    public SqsBatchResponse worker(SqsEvent event) {
        metrics.invoked("worker");
        List<SqsBatchResponse.ItemFailure> failures = new ArrayList<>();
        if (event == null || event.records() == null) {
            return new SqsBatchResponse(failures);
        }
        for (SqsEvent.Record record : event.records()) {
            if (record == null) {
                continue; // no message to deliver again (SQS never sends one)
            }
            try {
                doWork.handle(WorkMessages.decode(record.body()), record.receiveCount());
            } catch (RuntimeException e) {
                if (e instanceof UnreadableMessage unreadable && !unreadable.newer() && firstReceipt(record)) {
                    // Never to be read, so the queue moves it to its dead-letter queue: counted once, at its first
                    // receipt. A newer build's message is not: that build reads it.
                    metrics.deadLettered();
                }
                // The id and the class only: a body, or a message quoting one, stays out of the logs.
                LOG.warnf(
                        "message %s failed: %s",
                        record.messageId(), e.getClass().getName());
                failures.add(new SqsBatchResponse.ItemFailure(record.messageId()));
            }
        }
        return new SqsBatchResponse(failures);
    }

    private static boolean firstReceipt(SqsEvent.Record record) {
        return record.attributes() != null && "1".equals(record.attributes().approximateReceiveCount());
    }
}
