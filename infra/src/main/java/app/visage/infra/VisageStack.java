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
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.AliasOptions;
import software.amazon.awscdk.services.lambda.Architecture;
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
 * Visage on AWS (DESIGN.md, Deployment): the six functions of one artifact behind an HTTP API,
 * the bucket with its upload notification and lifecycle backstop, the work queue the {@code worker}
 * consumes and its dead-letter queue, the cleanup schedule, the secret holding provider keys, and IAM
 * scoped per function to the bucket prefixes it uses. For operators: X-Ray tracing on every function, the API
 * stage's access log and throttling, failure queues for the asynchronously invoked upload and cleanup, and the
 * alarms, topic and dashboard of {@link Monitoring} ({@link OperationsSettings} sets them).
 * Clients authenticate with API keys the app checks or with JWTs an API Gateway authorizer checks
 * ({@link ClientAuth}); provider webhooks with their per-job URL token.
 * Triggers point at each function's {@code live} alias, so SnapStart's published versions serve them.
 */
public class VisageStack extends Stack {
    public static final String JVM_HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";
    public static final String NATIVE_HANDLER = "bootstrap";
    public static final String ALIAS = "live";
    /** The AWS Parameters and Secrets Lambda Extension's port (its default; the app reads it from the env too). */
    public static final int SECRETS_EXTENSION_PORT = 2773;
    /** S3 lifecycle counts whole days; the worker deletes at 24 h, this only catches what it missed. */
    public static final int EXPIRE_AFTER_DAYS = 2;
    /** The longest timer is a day (a job's TTL, the last client webhook retry): an older marker was never reached. */
    public static final int DUE_MARKERS_EXPIRE_AFTER_DAYS = 3;

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

    public VisageStack(Construct scope, String id, DeploySettings settings) {
        this(scope, id, settings, OperationsSettings.from(scope.getNode()));
    }

    public VisageStack(Construct scope, String id, DeploySettings settings, OperationsSettings operations) {
        super(
                scope,
                id,
                StackProps.builder()
                        .description("Visage: face photos to avatars (six Funqy functions, HTTP API, S3, SQS, runtime "
                                + settings.runtime().name().toLowerCase(java.util.Locale.ROOT) + ")")
                        .build());
        RemovalPolicy dataRemoval = settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        Bucket bucket = Bucket.Builder.create(this, "Bucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .versioned(false)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(lifecycleRules(settings.recordRetentionDays()))
                .cors(List.of(CorsRule.builder()
                        .allowedMethods(List.of(HttpMethods.PUT, HttpMethods.GET))
                        .allowedOrigins(List.of("*"))
                        .allowedHeaders(List.of("*"))
                        .exposedHeaders(List.of("ETag"))
                        .maxAge(3000)
                        .build()))
                .removalPolicy(dataRemoval)
                .build();

        // Filled by the operator after deploy (README); the stack generates only the webhook secret.
        Secret secret = Secret.Builder.create(this, "Secrets")
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
        HttpApi api = HttpApi.Builder.create(this, "Api")
                .description("Visage HTTP API")
                .createDefaultStage(false)
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs")
                .retention(RetentionDays.TWO_WEEKS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        HttpStage stage = HttpStage.Builder.create(api, "DefaultStage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .accessLogSettings(accessLogSettings(new LogGroupLogDestination(accessLogs)))
                .throttle(ThrottleSettings.builder()
                        .rateLimit(operations.apiThrottleRate())
                        .burstLimit(operations.apiThrottleBurst())
                        .build())
                .build();

        // The app reads the secret at start-up through this extension, on localhost (never an SDK call).
        ParamsAndSecretsOptions extensionOptions = ParamsAndSecretsOptions.builder()
                .cacheEnabled(true)
                .httpPort(SECRETS_EXTENSION_PORT)
                .logLevel(ParamsAndSecretsLogLevel.WARN)
                .build();
        ParamsAndSecretsLayerVersion secretsExtension = settings.secretsExtensionLayerArn() != null
                ? ParamsAndSecretsLayerVersion.fromVersionArn(settings.secretsExtensionLayerArn(), extensionOptions)
                : ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, extensionOptions);

        // Dead letters wait for an operator: the SQS maximum, since a moved message keeps its first enqueue time.
        Queue deadLetters = Queue.Builder.create(this, "WorkDeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        Queue work = Queue.Builder.create(this, "WorkQueue")
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

        Code jvmCode = Code.fromAsset(settings.jvmArtifact().toString());
        Code nativeCode = settings.runtime() == DeploySettings.Runtime.NATIVE
                ? Code.fromAsset(settings.nativeArtifact().toString())
                : null;
        for (VisageFunction vf : VisageFunction.values()) {
            boolean asNative = nativeCode != null && vf.nativeReady;
            Map<String, String> env = new LinkedHashMap<>();
            env.put("QUARKUS_FUNQY_EXPORT", vf.export);
            env.put("VISAGE_BUCKET", bucket.getBucketName());
            env.put("VISAGE_PUBLIC_BASE_URL", api.getApiEndpoint());
            env.put("VISAGE_SECRETS_ARN", secret.getSecretArn());
            env.put("VISAGE_QUEUE_URL", work.getQueueUrl());
            if (settings.secretsRevision() != null) {
                env.put("VISAGE_SECRETS_REVISION", settings.secretsRevision());
            }
            if (CLIENT_FACING.contains(vf)) {
                switch (settings.clientAuth()) {
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
                    .architecture(Architecture.X86_64)
                    .memorySize(vf.memoryMb)
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
        IHttpRouteAuthorizer clients = settings.clientAuth() instanceof ClientAuth.Jwt jwt
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
                        .maxConcurrency(settings.workerMaxConcurrency())
                        .build());

        Rule.Builder.create(this, "CleanupSchedule")
                .description("Visage cleanup: send the work whose time has come (due/) to the work queue")
                .schedule(Schedule.expression(settings.cleanupSchedule()))
                // An event EventBridge could not hand to cleanup (throttled, cleanup's alias gone) lands beside the
                // runs that failed.
                .targets(List.of(new LambdaFunction(
                        aliases.get(VisageFunction.CLEANUP),
                        LambdaFunctionProps.builder()
                                .deadLetterQueue(asyncFailures.get(VisageFunction.CLEANUP))
                                .build())))
                .build();

        Monitoring monitoring =
                new Monitoring(this, "Monitoring", operations, functions, stage, deadLetters, work, asyncFailures);

        CfnOutput.Builder.create(this, "ApiUrl")
                .description(
                        "The HTTP API's URL: clients call it, and it is VISAGE_PUBLIC_BASE_URL (provider webhooks)")
                .value(api.getApiEndpoint())
                .build();
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

    private static List<LifecycleRule> lifecycleRules(int recordRetentionDays) {
        List<LifecycleRule> rules = new ArrayList<>();
        for (String prefix : EXPIRING_PREFIXES) {
            rules.add(expire(prefix, EXPIRE_AFTER_DAYS));
        }
        // An expired job's record stays (its view says so): S3 counts the days from the record's last write. The
        // tenants' indexes of jobs go with them: a marker is written once, with its record, so never later than it.
        for (String prefix : BucketLayout.RETAINED) {
            rules.add(expire(prefix, recordRetentionDays));
        }
        rules.add(expire(BucketLayout.DUE, DUE_MARKERS_EXPIRE_AFTER_DAYS));
        rules.add(LifecycleRule.builder()
                .id("abort-incomplete-uploads")
                .abortIncompleteMultipartUploadAfter(Duration.days(1))
                .build());
        return rules;
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

    public Alias alias(VisageFunction function) {
        return aliases.get(function);
    }
}
