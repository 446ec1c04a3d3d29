package app.visage.queue;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * A specific SQS to talk to instead of AWS, with the work queue it holds (local mode's embedded queue). Absent in
 * the Lambda artifact, where the client uses the regional endpoint, the function's role and {@code visage.queue.url}.
 */
public interface SqsTarget {
    URI endpoint();

    AwsCredentialsProvider credentials();

    /** The work queue's URL. */
    String queueUrl();
}
