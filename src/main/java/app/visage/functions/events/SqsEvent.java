package app.visage.functions.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * A batch of SQS messages, as Lambda's event source mapping delivers it. Our own type, like the S3 event's, with
 * every field of the event AWS documents; a field AWS adds later is ignored.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record SqsEvent(@JsonProperty("Records") List<Record> records) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Record(
            @JsonProperty("messageId") String messageId,
            @JsonProperty("receiptHandle") String receiptHandle,
            @JsonProperty("body") String body,
            @JsonProperty("attributes") Attributes attributes,
            @JsonProperty("messageAttributes") Map<String, MessageAttribute> messageAttributes,
            @JsonProperty("md5OfBody") String md5OfBody,
            @JsonProperty("eventSource") String eventSource,
            @JsonProperty("eventSourceARN") String eventSourceArn,
            @JsonProperty("awsRegion") String awsRegion) {

        /** How many times the queue has delivered this message, 1 the first time. */
        public int receiveCount() {
            String count = attributes == null ? null : attributes.approximateReceiveCount();
            if (count == null) {
                throw new IllegalArgumentException("no ApproximateReceiveCount");
            }
            int n = Integer.parseInt(count);
            if (n < 1) {
                throw new IllegalArgumentException("ApproximateReceiveCount below 1");
            }
            return n;
        }
    }

    /** The message's system attributes; SQS sends numbers as strings (timestamps in epoch milliseconds). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attributes(
            @JsonProperty("ApproximateReceiveCount") String approximateReceiveCount,
            @JsonProperty("SentTimestamp") String sentTimestamp,
            @JsonProperty("SenderId") String senderId,

            @JsonProperty("ApproximateFirstReceiveTimestamp")
            String approximateFirstReceiveTimestamp) {}

    /** A message attribute (Visage sends none). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MessageAttribute(
            @JsonProperty("stringValue") String stringValue,
            @JsonProperty("binaryValue") String binaryValue,
            @JsonProperty("stringListValues") List<String> stringListValues,
            @JsonProperty("binaryListValues") List<String> binaryListValues,
            @JsonProperty("dataType") String dataType) {}
}
