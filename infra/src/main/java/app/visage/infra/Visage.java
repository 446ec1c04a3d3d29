package app.visage.infra;

import app.visage.api.Route;
import app.visage.jobs.model.BucketLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.DomainMappingOptions;
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.AliasOptions;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.ParamsAndSecretsLayerVersion;
import software.amazon.awscdk.services.lambda.ParamsAndSecretsLogLevel;
import software.amazon.awscdk.services.lambda.ParamsAndSecretsOptions;
import software.amazon.awscdk.services.lambda.ParamsAndSecretsVersions;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Visage on AWS (DESIGN.md, Deployment) as a construct of any CDK app ({@link VisageProps}): the six functions of one artifact behind an HTTP API,
 * the bucket with its upload notification and lifecycle backstop, the work queue the {@code worker}
 * consumes and its dead-letter queue, the cleanup schedule, the secret holding provider keys, and IAM
 * scoped per function to the bucket prefixes it uses. For operators: X-Ray tracing on every function, the API
 * stage's access log and throttling, failure queues for the asynchronously invoked upload and cleanup, and the
 * alarms, topic and dashboard of {@link Monitoring} ({@link OperationsSettings} sets them).
 * Clients authenticate with API keys the app checks or with JWTs an API Gateway authorizer checks
 * ({@link ClientAuth}); provider webhooks with their per-job URL token.
 * Triggers point at each function's {@code live} alias, so SnapStart's published versions serve them.
 * Several may live in one stack under different ids (each makes its own bucket, API and queues); the repository's
 * own app ({@link VisageStack}) makes one with the id {@code Default}, which CloudFormation's logical ids leave out,
 * so stacks deployed before the construct existed keep every resource.
 */
public class Visage extends Construct {
    public static final String JVM_HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";
    public static final String NATIVE_HANDLER = "bootstrap";
    public static final String ALIAS = "live";
    /** The AWS Parameters and Secrets Lambda Extension's port (its default; the app reads it from the env too). */
    public static final int SECRETS_EXTENSION_PORT = 2773;

    public static final List<String> EXPIRING_PREFIXES = BucketLayout.TRANSIENT;
    /**
     * One message per worker invocation, with no batching window: a step may take most of the worker's timeout (a
     * start call waits up to 25 s for its provider, a confirmation downloads and copies every output), so a batch
     * of them could outlast it and come back whole; and a message never waits behind another's slow step.
     */
    public static final int WORK_BATCH_SIZE = 1;
    /** AWS's guidance for an SQS event source: six times the function's timeout (there is no batching window). */
    public static final int WORK_VISIBILITY_SECONDS = 6 * VisageFunction.WORKER.timeoutSeconds;
    /** A step that failed this often (a bug, a provider down for long) goes to the dead-letter queue. */
    public static final int WORK_MAX_RECEIVES = 5;
    /**
     * Async invocations (S3 notification, schedule) retried after a failure: an upload's start is idempotent, so
     * Lambda's two retries ride out a passing S3 or SQS error; a failed cleanup run is not retried, since the
     * schedule runs it again within minutes and a retry would only overlap that run.
     */
    public static final Map<VisageFunction, Integer> ASYNC_RETRY_ATTEMPTS =
            Map.of(VisageFunction.UPLOAD, 2, VisageFunction.CLEANUP, 0);
    /** The API stage's access log: who called which route and how it went; never a path or a query string. */
    public static final Map<String, String> ACCESS_LOG_FIELDS = accessLogFields();
    /** The functions behind the client routes: they authenticate clients (and refuse to start unable to). */
    public static final Set<VisageFunction> CLIENT_FACING = EnumSet.of(VisageFunction.SUBMIT, VisageFunction.STATUS);

    private final Map<VisageFunction, Function> functions = new EnumMap<>(VisageFunction.class);
    private final Map<VisageFunction, Alias> aliases = new EnumMap<>(VisageFunction.class);
    private final Map<VisageFunction, HttpLambdaIntegration> integrations = new EnumMap<>(VisageFunction.class);

    private final Bucket ownBucket;
    private final IBucket bucket;
    private final HttpApi api;
    private final Secret secret;
    private final Queue work;
    private final Queue deadLetters;
    private final Monitoring monitoring;
    private final String publicBaseUrl;
    private final DomainName domain;

    public Visage(Construct scope, String id, VisageProps props) {
        super(scope, id);
        RemovalPolicy dataRemoval = props.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        if (props.bucket() != null) {
            // Its owner sets its lifecycle rules and CORS (lifecycleRules() lists what the app needs).
            ownBucket = null;
            bucket = props.bucket();
        } else {
            ownBucket = Bucket.Builder.create(this, "Bucket")
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .encryption(props.encryptionKey() != null ? BucketEncryption.KMS : BucketEncryption.S3_MANAGED)
                    .encryptionKey(props.encryptionKey())
                    .bucketKeyEnabled(props.encryptionKey() != null ? true : null)
                    .enforceSsl(true)
                    .versioned(false)
                    .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                    .lifecycleRules(lifecycleRules(props.recordRetentionDays(), props.appSettings()))
                    // Browsers POST photos with the signed upload form and GET outputs by presigned URL.
                    .cors(List.of(CorsRule.builder()
                            .allowedMethods(List.of(HttpMethods.POST, HttpMethods.GET))
                            .allowedOrigins(List.of("*"))
                            .allowedHeaders(List.of("*"))
                            .exposedHeaders(List.of("ETag"))
                            .maxAge(3000)
                            .build()))
                    .removalPolicy(dataRemoval)
                    .build();
            bucket = ownBucket;
        }
        // The functions read and write objects, and sign URLs clients use with the function's rights.
        IKey objectKey = props.encryptionKey() != null ? props.encryptionKey() : bucket.getEncryptionKey();

        // Filled by the operator after deploy (README); the stack generates only the webhook secret.
        secret = Secret.Builder.create(this, "Secrets")
                .description("Visage provider keys (visage.providers.<id>.api-key) and visage.webhooks.secret")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{}")
                        .generateStringKey("visage.webhooks.secret")
                        .excludePunctuation(true)
                        .passwordLength(48)
                        .build())
                .removalPolicy(dataRemoval)
                .build();

        // The stage the HttpApi would make itself, with what that one cannot take: access logs and throttling.
        api = HttpApi.Builder.create(this, "Api")
                .description("Visage HTTP API")
                .createDefaultStage(false)
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs")
                .retention(RetentionDays.TWO_WEEKS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        HttpStage.Builder stageBuilder =
                HttpStage.Builder.create(api, "DefaultStage").httpApi(api);
        if (props.domainName() != null) {
            // Clients and providers (webhook URLs) use the domain; DNS points it at the domain's regional name.
            domain = DomainName.Builder.create(this, "Domain")
                    .domainName(props.domainName())
                    .certificate(Certificate.fromCertificateArn(this, "Certificate", props.certificateArn()))
                    .build();
            stageBuilder.domainMapping(
                    DomainMappingOptions.builder().domainName(domain).build());
            publicBaseUrl = "https://" + props.domainName();
        } else {
            domain = null;
            publicBaseUrl = api.getApiEndpoint();
        }
        HttpStage stage = stageBuilder
                .stageName("$default")
                .autoDeploy(true)
                .accessLogSettings(accessLogSettings(new LogGroupLogDestination(accessLogs)))
                .throttle(ThrottleSettings.builder()
                        .rateLimit(props.operations().apiThrottleRate())
                        .burstLimit(props.operations().apiThrottleBurst())
                        .build())
                .build();

        // The app reads the secret through this extension, on localhost (never an SDK call): at start-up, and again
        // where keys are used once its copy is older than visage.secrets.refresh, which the extension's cache matches.
        ParamsAndSecretsOptions extensionOptions = ParamsAndSecretsOptions.builder()
                .cacheEnabled(true)
                .secretsManagerTtl(Duration.seconds(
                        AppSettings.secretsCacheTtl(props.appSettings()).toSeconds()))
                .httpPort(SECRETS_EXTENSION_PORT)
                .logLevel(ParamsAndSecretsLogLevel.WARN)
                .build();
        ParamsAndSecretsLayerVersion secretsExtension = props.secretsExtensionLayerArn() != null
                ? ParamsAndSecretsLayerVersion.fromVersionArn(props.secretsExtensionLayerArn(), extensionOptions)
                : ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, extensionOptions);

        // Dead letters wait for an operator: the SQS maximum, since a moved message keeps its first enqueue time.
        deadLetters = Queue.Builder.create(this, "WorkDeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        work = Queue.Builder.create(this, "WorkQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(Duration.seconds(WORK_VISIBILITY_SECONDS))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetters)
                        .maxReceiveCount(WORK_MAX_RECEIVES)
                        .build())
                .build();

        // Where an async invocation goes once its retries are spent: the event, the error, the request id.
        Map<VisageFunction, Queue> asyncFailures = new EnumMap<>(VisageFunction.class);
        for (VisageFunction vf : ASYNC_RETRY_ATTEMPTS.keySet()) {
            asyncFailures.put(
                    vf,
                    Queue.Builder.create(this, vf.id + "Failures")
                            .encryption(QueueEncryption.SQS_MANAGED)
                            .enforceSsl(true)
                            .retentionPeriod(Duration.days(14))
                            .build());
        }

        Code jvmCode = Code.fromAsset(props.jvmArtifact().toString());
        Code nativeCode = props.runtime() == DeploySettings.Runtime.NATIVE
                ? Code.fromAsset(props.nativeArtifact().toString())
                : null;
        for (VisageFunction vf : VisageFunction.values()) {
            boolean asNative = nativeCode != null && vf.nativeReady;
            Map<String, String> env = new LinkedHashMap<>();
            env.put("QUARKUS_FUNQY_EXPORT", vf.export);
            env.put("VISAGE_BUCKET", bucket.getBucketName());
            env.put("VISAGE_PUBLIC_BASE_URL", publicBaseUrl);
            env.put("VISAGE_SECRETS_ARN", secret.getSecretArn());
            env.put("VISAGE_QUEUE_URL", work.getQueueUrl());
            if (props.secretsRevision() != null) {
                env.put("VISAGE_SECRETS_REVISION", props.secretsRevision());
            }
            env.putAll(AppSettings.environment(props.appSettings()));
            if (CLIENT_FACING.contains(vf)) {
                switch (props.clientAuth()) {
                    case ClientAuth.ApiKeys keys -> env.put("VISAGE_AUTH_API_KEYS", keys.value());
                    case ClientAuth.Jwt jwt -> env.put("VISAGE_AUTH_JWT_TENANT_CLAIM", jwt.tenantClaim());
                }
            }
            if (asNative) {
                env.put("DISABLE_SIGNAL_HANDLERS", "true");
            }
            LogGroup logs = LogGroup.Builder.create(this, vf.id + "Logs")
                    .retention(RetentionDays.TWO_WEEKS)
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            Function.Builder fn = Function.Builder.create(this, vf.id)
                    .description("Visage " + vf.export + (asNative ? " (native)" : " (JVM)"))
                    .architecture(props.architecture())
                    .memorySize(props.memorySize() != null ? props.memorySize() : vf.memoryMb)
                    .timeout(Duration.seconds(vf.timeoutSeconds))
                    .environment(env)
                    .paramsAndSecrets(secretsExtension)
                    .tracing(Tracing.ACTIVE)
                    .logGroup(logs);
            if (asNative) {
                fn.runtime(Runtime.PROVIDED_AL2023).handler(NATIVE_HANDLER).code(nativeCode);
            } else {
                fn.runtime(Runtime.JAVA_21)
                        .handler(JVM_HANDLER)
                        .code(jvmCode)
                        .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
            }
            Function function = fn.build();
            BucketAccess.statements(bucket, vf).forEach(function::addToRolePolicy);
            // Every function hands work on; sending is all it does with the queue (SSE-SQS needs no KMS grant).
            function.addToRolePolicy(PolicyStatement.Builder.create()
                    .actions(List.of("sqs:SendMessage"))
                    .resources(List.of(work.getQueueArn()))
                    .build());
            secret.grantRead(function);
            if (objectKey != null) {
                objectKey.grantEncryptDecrypt(function);
            }
            functions.put(vf, function);
            AliasOptions.Builder alias = AliasOptions.builder();
            if (asyncFailures.containsKey(vf)) {
                alias.onFailure(new SqsDestination(asyncFailures.get(vf))).retryAttempts(ASYNC_RETRY_ATTEMPTS.get(vf));
            }
            aliases.put(vf, function.addAlias(ALIAS, alias.build()));
            if (!asNative) {
                Annotations.of(function)
                        .acknowledgeWarning(
                                "@aws-cdk/aws-lambda:snapStartRequirePublish",
                                "the live alias publishes a version, and every trigger invokes that alias");
            }
        }

        // With API keys the app checks them itself; a JWT authorizer makes API Gateway refuse a request
        // without a valid token before any function runs.
        IHttpRouteAuthorizer clients = props.clientAuth() instanceof ClientAuth.Jwt jwt
                ? HttpJwtAuthorizer.Builder.create("ClientJwt", jwt.issuer())
                        .jwtAudience(jwt.audience())
                        .build()
                : null;
        // The app's own route table. Providers cannot send our clients' tokens: the per-job URL token
        // authenticates their webhooks.
        for (Route r : Route.values()) {
            route(
                    api,
                    HttpMethod.valueOf(r.method()),
                    r.path(),
                    VisageFunction.byExport(r.function()),
                    r == Route.PROVIDER_WEBHOOK ? null : clients);
        }

        bucket.addEventNotification(
                EventType.OBJECT_CREATED,
                new LambdaDestination(aliases.get(VisageFunction.UPLOAD)),
                NotificationKeyFilter.builder().prefix(BucketLayout.UPLOADS).build());

        // Failed messages of a batch are retried alone; the event source grants the worker what consuming takes.
        aliases.get(VisageFunction.WORKER)
                .addEventSource(SqsEventSource.Builder.create(work)
                        .batchSize(WORK_BATCH_SIZE)
                        .reportBatchItemFailures(true)
                        .maxConcurrency(props.workerMaxConcurrency())
                        .build());

        Rule.Builder.create(this, "CleanupSchedule")
                .description("Visage cleanup: send the work whose time has come (due/) to the work queue")
                .schedule(Schedule.expression(props.cleanupSchedule()))
                // An event EventBridge could not hand to cleanup (throttled, cleanup's alias gone) lands beside the
                // runs that failed.
                .targets(List.of(new LambdaFunction(
                        aliases.get(VisageFunction.CLEANUP),
                        LambdaFunctionProps.builder()
                                .deadLetterQueue(asyncFailures.get(VisageFunction.CLEANUP))
                                .build())))
                .build();

        monitoring = new Monitoring(
                this, "Monitoring", props.operations(), functions, stage, deadLetters, work, asyncFailures);

        CfnOutput.Builder.create(this, "ApiUrl")
                .description("The HTTP API's URL: clients call it, and it is VISAGE_PUBLIC_BASE_URL (provider webhooks)"
                        + " unless a custom domain is")
                .value(publicBaseUrl)
                .build();
        if (domain != null) {
            CfnOutput.Builder.create(this, "DomainTarget")
                    .description("Point the custom domain here: a CNAME (or an alias record) to this regional name")
                    .value(domain.getRegionalDomainName())
                    .build();
        }
        CfnOutput.Builder.create(this, "BucketName")
                .value(bucket.getBucketName())
                .build();
        CfnOutput.Builder.create(this, "SecretArn")
                .description("Put provider keys here: aws secretsmanager put-secret-value (see infra/README.md)")
                .value(secret.getSecretArn())
                .build();
        CfnOutput.Builder.create(this, "DeadLetterQueueArn")
                .description("Redrive it: aws sqs start-message-move-task --source-arn <this>")
                .value(deadLetters.getQueueArn())
                .build();
        CfnOutput.Builder.create(this, "DeadLetterAlarmName")
                .description("In alarm while work waits in the dead-letter queue")
                .value(monitoring.deadLetterAlarm().getAlarmName())
                .build();
        CfnOutput.Builder.create(this, "WorkerErrorsAlarmName")
                .description("In alarm when a worker invocation crashed or timed out")
                .value(monitoring.errorsAlarm(VisageFunction.WORKER).getAlarmName())
                .build();
        CfnOutput.Builder.create(this, "AlarmTopicArn")
                .description("Every alarm notifies this SNS topic: subscribe to it (or deploy with -c alarmEmail=…)")
                .value(monitoring.topic().getTopicArn())
                .build();
        CfnOutput.Builder.create(this, "DashboardName")
                .value(monitoring.dashboard().getDashboardName())
                .build();
    }

    private static Map<String, String> accessLogFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("requestId", "$context.requestId");
        fields.put("requestTime", "$context.requestTimeEpoch");
        fields.put("ip", "$context.identity.sourceIp");
        fields.put("userAgent", "$context.identity.userAgent");
        fields.put("routeKey", "$context.routeKey");
        fields.put("status", "$context.status");
        fields.put("protocol", "$context.protocol");
        fields.put("responseLength", "$context.responseLength");
        fields.put("responseLatency", "$context.responseLatency");
        fields.put("integrationStatus", "$context.integrationStatus");
        fields.put("integrationLatency", "$context.integrationLatency");
        fields.put("integrationError", "$context.integrationErrorMessage");
        fields.put("error", "$context.error.message");
        fields.put("authorizerError", "$context.authorizer.error");
        return java.util.Collections.unmodifiableMap(fields);
    }

    /**
     * One JSON object per request. Only routeKey names what was called: it is the route's template ({@code POST
     * /v1/provider-webhooks/{provider}/{jobId}}), never the request's path or query string, where providers' webhook
     * URLs carry their token.
     */
    private static IAccessLogSettings accessLogSettings(IAccessLogDestination destination) {
        StringBuilder json = new StringBuilder("{");
        ACCESS_LOG_FIELDS.forEach((name, variable) -> json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(name)
                .append("\":\"")
                .append(variable)
                .append('"'));
        AccessLogFormat format = AccessLogFormat.custom(json.append('}').toString());
        return new IAccessLogSettings() {
            @Override
            public IAccessLogDestination getDestination() {
                return destination;
            }

            @Override
            public AccessLogFormat getFormat() {
                return format;
            }
        };
    }

    /**
     * The bucket's backstop behind the worker and the cleanup timer: inputs, uploads and outputs a day after the
     * TTL (S3 counts whole days), records after {@code recordRetentionDays}, due markers a day after the longest
     * timer (the TTL). A bucket of your own needs the same rules (docs/deployment.md).
     */
    public static List<LifecycleRule> lifecycleRules(int recordRetentionDays, Map<String, String> appSettings) {
        List<LifecycleRule> rules = new ArrayList<>();
        for (String prefix : EXPIRING_PREFIXES) {
            rules.add(expire(prefix, AppSettings.backstopDays(appSettings)));
        }
        // An expired job's record stays (its view says so): S3 counts the days from the record's last write. The
        // tenants' indexes of jobs go with them: a marker is written once, with its record, so never later than it.
        for (String prefix : BucketLayout.RETAINED) {
            rules.add(expire(prefix, recordRetentionDays));
        }
        rules.add(expire(BucketLayout.DUE, dueMarkerDays(appSettings)));
        rules.add(LifecycleRule.builder()
                .id("abort-incomplete-uploads")
                .abortIncompleteMultipartUploadAfter(Duration.days(1))
                .build());
        return rules;
    }

    /** The longest timer is the TTL (a job's expiry; the last client webhook retry is within a day): a day more. */
    static int dueMarkerDays(Map<String, String> appSettings) {
        return AppSettings.backstopDays(appSettings) + 1;
    }

    private static LifecycleRule expire(String prefix, int days) {
        return LifecycleRule.builder()
                .id("expire-" + prefix.replace("/", ""))
                .prefix(prefix)
                .expiration(Duration.days(days))
                .build();
    }

    /**
     * One integration per function (payload 2.0: the functions take APIGatewayV2HTTPEvent), shared by
     * its routes; {@code authorizer} null for none.
     */
    private void route(
            HttpApi api, HttpMethod method, String path, VisageFunction target, IHttpRouteAuthorizer authorizer) {
        HttpLambdaIntegration integration = integrations.computeIfAbsent(
                target,
                vf -> HttpLambdaIntegration.Builder.create(vf.id + "Integration", aliases.get(vf))
                        .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                        .build());
        api.addRoutes(AddRoutesOptions.builder()
                .path(path)
                .methods(List.of(method))
                .integration(integration)
                .authorizer(authorizer)
                .build());
    }

    public Function function(VisageFunction function) {
        return functions.get(function);
    }

    /** The bucket the construct made, or the one it was given. */
    public IBucket bucket() {
        return bucket;
    }

    /** The bucket the construct made itself; null when it was given one. */
    public Bucket ownBucket() {
        return ownBucket;
    }

    public HttpApi api() {
        return api;
    }

    /** Where clients call and providers send webhooks: the API's URL, or {@code https://} the custom domain. */
    public String publicBaseUrl() {
        return publicBaseUrl;
    }

    public Secret secret() {
        return secret;
    }

    public Queue workQueue() {
        return work;
    }

    public Queue deadLetterQueue() {
        return deadLetters;
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    public Alias alias(VisageFunction function) {
        return aliases.get(function);
    }
}
