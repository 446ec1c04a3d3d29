package app.visage.infra;

import java.util.Locale;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.Construct;

/**
 * The repository's own stack: one {@link Visage} from the app's context (cdk.json, {@code -c}; infra/README.md
 * lists every key), plus what only context can name by string: {@code bucketName} (a bucket of your own) and
 * {@code kmsKeyArn} (its key, or the key the stack's bucket is encrypted with).
 */
public class VisageStack extends Stack {
    /** The construct's id: left out of logical ids, so a stack deployed before the construct keeps its resources. */
    public static final String CONSTRUCT_ID = "Default";

    private final Visage visage;

    public VisageStack(Construct scope, String id, VisageProps.Builder props) {
        this(scope, id, props, scope.getNode());
    }

    private VisageStack(Construct scope, String id, VisageProps.Builder props, software.constructs.Node context) {
        super(
                scope,
                id,
                StackProps.builder()
                        .description("Visage: face photos to avatars (six Funqy functions, HTTP API, S3, SQS, runtime "
                                + props.build().runtime().name().toLowerCase(Locale.ROOT) + ")")
                        .build());
        String bucketName = DeploySettings.context(context, "bucketName", null);
        if (bucketName != null) {
            if (!bucketName.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException(
                        "context bucketName must be an S3 bucket name, not '" + bucketName + "'");
            }
            props.bucket(Bucket.fromBucketName(this, "ExistingBucket", bucketName));
        }
        String keyArn = DeploySettings.context(context, "kmsKeyArn", null);
        if (keyArn != null) {
            if (!keyArn.matches("arn:[^:]+:kms:[^:]+:\\d{12}:key/[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("context kmsKeyArn must be a KMS key ARN, not '" + keyArn + "'");
            }
            props.encryptionKey(Key.fromKeyArn(this, "ExistingKey", keyArn));
        }
        visage = new Visage(this, CONSTRUCT_ID, props.build());
    }

    public Visage visage() {
        return visage;
    }
}
