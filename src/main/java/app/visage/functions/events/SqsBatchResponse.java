package app.visage.functions.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The worker's answer to an SQS batch (the event source mapping's ReportBatchItemFailures): the messages that
 * failed come back after the visibility timeout; every other one is deleted.
 */
@RegisterForReflection
public record SqsBatchResponse(
        @JsonProperty("batchItemFailures") List<ItemFailure> batchItemFailures) {

    /** A failed message, by its {@code messageId}. */
    @RegisterForReflection
    public record ItemFailure(
            @JsonProperty("itemIdentifier") String itemIdentifier) {}
}
