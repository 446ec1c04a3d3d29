package app.visage.storage;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * A specific S3 to talk to instead of AWS (local mode's embedded S3). Absent in the Lambda
 * artifact, where the client uses the regional endpoint and the function's role.
 */
public interface S3Target {
    URI endpoint();

    AwsCredentialsProvider credentials();
}
