package app.visage.infra;

import app.visage.api.Route;
import app.visage.jobs.model.BucketLayout;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awscdk.Stack;

/**
 * What cdk-nag finds in the stack and the stack keeps on purpose, each with why (docs/deployment.md lists them).
 * Every suppression names the resource it is for and, for IAM, the exact finding.
 */
final class NagFindings {
    /** Every prefix of the bucket layout: each function's grants are on the prefixes its code uses (BucketAccess). */
    private static final String BUCKET_PREFIXES =
            BucketLayout.ALL.stream().map(p -> p.replace("/", "")).collect(Collectors.joining("|"));

    private NagFindings() {}

    static void suppress(VisageStack stack) {
        suppress(stack, stack.visage());
    }

    /** The findings of one Visage construct in this stack, and of the stack's own bucket notification handler. */
    static void suppress(Stack stack, Visage visage) {
        for (VisageFunction vf : VisageFunction.values()) {
            NagSuppressions.addResourceSuppressions(visage.function(vf), functionFindings(vf), true);
        }
        NagSuppressions.addResourceSuppressionsByPath(
                stack,
                "/" + stack.getNode().getPath() + "/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role",
                List.of(suppression(
                        "AwsSolutions-IAM4",
                        "the CDK's own handler that sets the bucket's notification; logging is all the managed"
                                + " policy allows it",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")),
                true);
        // A bucket of your own is yours to log.
        if (visage.ownBucket() != null) {
            suppress(
                    visage,
                    "Bucket",
                    List.of(suppression(
                            "AwsSolutions-S1",
                            "server access logs would need a second bucket and arrive best-effort; only the functions' roles"
                                    + " and presigned uploads the API issued (one per job, logged by submit) touch this bucket:"
                                    + " turn on CloudTrail data events for an audit trail")));
        }
        suppress(
                visage,
                "Secrets",
                List.of(suppression(
                        "AwsSolutions-SMG4",
                        "provider API keys are issued by the providers (a rotation Lambda cannot mint one) and the webhook"
                                + " secret is shared with clients that verify signatures; the operator rotates both by"
                                + " putting a new value (infra/README.md)")));
        for (String queue : List.of("WorkDeadLetters", "UploadFailures", "CleanupFailures")) {
            suppress(
                    visage,
                    queue,
                    List.of(
                            suppression(
                                    "AwsSolutions-SQS3",
                                    "a dead-letter queue or a failure destination itself: nothing consumes it, an"
                                            + " operator reads or redrives it"),
                            suppression(
                                    "Serverless-SQSRedrivePolicy",
                                    "a dead-letter queue or a failure destination itself: nothing consumes it, an"
                                            + " operator reads or redrives it")));
        }
        for (Route route : Route.values()) {
            String id = route.method() + route.path().replace("/", "--");
            suppress(
                    visage,
                    "Api/" + id,
                    List.of(suppression(
                            "AwsSolutions-APIG4",
                            route == Route.PROVIDER_WEBHOOK
                                    ? "providers cannot send our clients' credentials: the per-job token in the"
                                            + " webhook URL authenticates them, checked by the webhook function"
                                    : "with API keys the functions authenticate every client request"
                                            + " (VISAGE_AUTH_API_KEYS: HTTP APIs have no API keys); with jwtIssuer"
                                            + " a JWT authorizer does and this finding does not arise")));
        }
        suppress(
                visage,
                "Monitoring/AlarmTopic",
                List.of(suppression(
                        "Serverless-SNSRedrivePolicy",
                        "the alarmEmail subscription: SNS retries an email it cannot deliver, and the alarm stays in the"
                                + " console and on the dashboard")));
    }

    private static List<NagPackSuppression> functionFindings(VisageFunction vf) {
        String dlq = switch (vf) {
            case SUBMIT, STATUS, WEBHOOK ->
                "invoked synchronously by API Gateway: the caller gets the error, there is no event to keep";
            case WORKER ->
                "invoked by its SQS event source: a message that fails 5 times moves to the work queue's dead-letter"
                        + " queue";
            case UPLOAD, CLEANUP ->
                "its live alias (which the trigger invokes) has an on-failure destination, a queue of its own: the"
                        + " record there holds the event and the error, more than a dead-letter queue would";
        };
        String runtime = "java21 is the runtime the app is built for (release 21), tested on and SnapStart-checked"
                + " on; moving to java25 is its own change (the native functions run provided.al2023, the latest)";
        List<NagPackSuppression> findings = new java.util.ArrayList<>(List.of(
                suppression(
                        "AwsSolutions-IAM4",
                        "the AWS managed basic execution policy only lets the function write its own logs",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                suppression(
                        "AwsSolutions-IAM5",
                        "X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions",
                        "Resource::*"),
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("object access on the bucket prefixes of BucketLayout this function's code uses"
                                + " (BucketAccess; IamScopingTest checks each), never the whole bucket")
                        .appliesTo(List.of(RegexAppliesTo.builder()
                                .regex("/^Resource::(<[A-Za-z0-9]+\\.Arn>|arn:<AWS::Partition>:s3:::"
                                        + "[a-z0-9.-]+)\\/(" + BUCKET_PREFIXES + ")\\/\\*$/")
                                .build()))
                        .build(),
                suppression(
                        "AwsSolutions-IAM5",
                        "with a KMS key (kmsKeyArn, VisageProps.encryptionKey): the CDK's grant to encrypt and decrypt"
                                + " objects, on that one key; S3 asks for data keys and re-encryption under it",
                        "Action::kms:ReEncrypt*",
                        "Action::kms:GenerateDataKey*"),
                suppression("AwsSolutions-L1", runtime),
                suppression("Serverless-LambdaLatestVersion", runtime),
                suppression("Serverless-LambdaDLQ", dlq)));
        if (vf == VisageFunction.WORKER) {
            findings.add(suppression(
                    "Serverless-LambdaEventSourceMappingDestination",
                    "an SQS event source takes no on-failure destination: the work queue's redrive policy moves a"
                            + " message that failed 5 times to its dead-letter queue"));
        }
        return findings;
    }

    /** On the construct at this path under the Visage construct and everything under it. */
    private static void suppress(Visage visage, String path, List<NagPackSuppression> suppressions) {
        NagSuppressions.addResourceSuppressionsByPath(
                Stack.of(visage), "/" + visage.getNode().getPath() + "/" + path, suppressions, true);
    }

    private static NagPackSuppression suppression(String id, String reason, String... appliesTo) {
        NagPackSuppression.Builder b = NagPackSuppression.builder().id(id).reason(reason);
        if (appliesTo.length > 0) {
            b.appliesTo(List.of((Object[]) appliesTo));
        }
        return b.build();
    }
}
