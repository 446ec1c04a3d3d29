package app.visage.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.functions.SampleEvents;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.model.UploadSlot;
import app.visage.jobs.model.WebhookToken;
import app.visage.jobs.model.Work;
import app.visage.json.Json;
import app.visage.local.s3.EmbeddedS3;
import app.visage.messages.WorkMessages;
import app.visage.storage.StoredJob;
import app.visage.support.UploadForms;
import app.visage.support.WorkQueues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What every packaging of the six functions must answer, whatever runs them: each function is a process polling its
 * own {@link RuntimeApi} on loopback, as in AWS; the {@code events/} samples go in through that API; S3 is an
 * in-memory {@link EmbeddedS3} and the work queue an embedded ElasticMQ in this JVM. A subclass starts the processes:
 * {@link RuntimeInterfaceClientIT} all six as JVMs under AWS's runtime interface client, {@link NativeExecutableIT}
 * submit, status and webhook as the native {@code bootstrap} beside the JVM's other three, as the native deployment
 * runs them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LambdaFunctionsContract {
    static final int MEMORY_MB = 1024;
    private static final String BUCKET = "visage";
    private static final String SAMPLE_JOB_ID = "job_sampleaaaaaaaaaaaaaaaaaaaa";
    private static final String SAMPLE_TOKEN = "sample-token";
    /** Ceilings, not expectations: a JVM starts in seconds and answers in well under one. */
    static final Duration START = Duration.ofSeconds(120);

    private static final Duration ANSWER = Duration.ofSeconds(30);

    private final Map<String, LambdaRuntimes.Child> children = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Path work;
    EmbeddedS3 s3;
    private S3Client bucket;
    private WorkQueues queue;
    /** What the deployment gives every function: the work queue's URL (and here, where SQS is). */
    Map<String, String> queueEnv;

    /** A failing test says what the runtimes printed. */
    @RegisterExtension
    final TestExecutionExceptionHandler childLogs = (context, failure) -> {
        throw withLogs(failure);
    };

    /** Unpacks what runs the functions under {@code work}; called before the embedded servers start. */
    abstract void prepare(Path work) throws Exception;

    /** Starts {@code export}'s runtime, logging to {@code log}, with {@code extraEnv} over the Lambda's environment. */
    abstract LambdaRuntimes.Child start(String export, Path log, Map<String, String> extraEnv) throws IOException;

    /** Whether submit runs the local engine itself (the JVM artifact) or leaves a local job to the worker (native). */
    abstract boolean submitRunsTheEngine();

    /** Where the runtimes' logs and unpacked artifacts go, under target/. */
    abstract String workDirectory();

    @BeforeAll
    void startTheFunctions() throws Exception {
        work = Path.of("target", workDirectory()).toAbsolutePath();
        prepare(work);

        s3 = EmbeddedS3.inMemory(BUCKET, event -> {}).start();
        bucket = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .forcePathStyle(true)
                .build();

        queue = WorkQueues.start(Duration.ofSeconds(30), 5);
        queueEnv = Map.of(
                "VISAGE_QUEUE_URL",
                queue.workUrl(),
                "VISAGE_QUEUE_ENDPOINT",
                queue.endpoint().toString());

        // All six start at once; each is waited for with its own ceiling.
        for (String export : LambdaRuntimes.EXPORTS) {
            children.put(export, start(export, work.resolve(export + ".log"), queueEnv));
        }
        for (LambdaRuntimes.Child child : children.values()) {
            child.awaitReady(START);
        }
    }

    @AfterAll
    void stopTheFunctions() throws Exception {
        for (LambdaRuntimes.Child child : children.values()) {
            child.stop();
        }
        if (bucket != null) {
            bucket.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (queue != null) {
            queue.close();
        }
        if (work != null) {
            LambdaRuntimes.deleteRecursively(work.resolve("task")); // ~100 MB; the logs stay
        }
    }

    @Test
    void submitCreatesJobsAndUploadsAndCancels() {
        // JSON body with a data URI: the local engine runs in the function, the job ends in the bucket.
        JsonNode created = call("submit", sample("submit-create-job.json"));
        assertThat(created.path("statusCode").asInt()).isEqualTo(202);
        assertThat(created.path("headers").path("content-type").asText()).isEqualTo("application/json");
        assertThat(created.path("isBase64Encoded").asBoolean(true)).isFalse();
        JsonNode accepted = body(created);
        String id = accepted.path("id").asText();
        assertThat(id).matches("job_[a-z2-7]{26}");
        assertThat(accepted.path("operation").asText()).isEqualTo("head_shot");
        assertThat(accepted.path("provider").asText()).isEqualTo("local");
        assertThat(accepted.path("status").asText()).isEqualTo(submitRunsTheEngine() ? "succeeded" : "queued");
        assertThat(accepted.path("links").path("self").asText()).isEqualTo("/v1/jobs/" + id);
        JsonNode record = settled(id);
        assertThat(record.path("status").asText()).isEqualTo("succeeded");
        assertThat(record.path("metadata").path("user").asText()).isEqualTo("42");
        assertThat(keys("inputs/" + id + "/")).containsExactly("inputs/" + id + "/face.jpg");
        assertThat(keys("outputs/" + id + "/")).containsExactly("outputs/" + id + "/1.png");
        assertThat(record.path("outputs").get(0).path("width").asInt()).isEqualTo(512);
        assertThat(record.path("outputs").get(0).path("height").asInt()).isEqualTo(512);

        // Multipart, base64-encoded by API Gateway: a 2:3 JPEG head shot.
        JsonNode multipart = call("submit", sample("submit-create-job-multipart.json"));
        assertThat(multipart.path("statusCode").asInt()).isEqualTo(202);
        String multipartId = body(multipart).path("id").asText();
        JsonNode multipartRecord = settled(multipartId);
        assertThat(multipartRecord.path("status").asText()).isEqualTo("succeeded");
        assertThat(multipartRecord.path("outputs")).hasSize(1);
        JsonNode jpeg = multipartRecord.path("outputs").get(0);
        assertThat(jpeg.path("content_type").asText()).isEqualTo("image/jpeg");
        assertThat(jpeg.path("width").asInt() * 3).isEqualTo(jpeg.path("height").asInt() * 2);
        assertThat(keys("outputs/" + multipartId + "/"))
                .containsExactly(jpeg.path("key").asText());

        // A presigned upload URL, on the embedded S3 the function was pointed at.
        JsonNode ticket = createUpload();
        String uploadJob = ticket.path("job_id").asText();
        assertThat(record(uploadJob).path("status").asText()).isEqualTo("queued");

        // Cancel: a queued job is canceled, an ended one answered as it is, an unknown one is 404.
        JsonNode canceled = call("submit", sample("submit-cancel-job.json").replace(SAMPLE_JOB_ID, uploadJob));
        assertThat(canceled.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(canceled).path("id").asText()).isEqualTo(uploadJob);
        assertThat(body(canceled).path("status").asText()).isEqualTo("canceled");
        assertThat(record(uploadJob).path("status").asText()).isEqualTo("canceled");
        JsonNode ended = call("submit", sample("submit-cancel-job.json").replace(SAMPLE_JOB_ID, id));
        assertThat(ended.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(ended).path("status").asText()).isEqualTo("succeeded");
        JsonNode unknown = call("submit", sample("submit-cancel-job.json"));
        assertThat(unknown.path("statusCode").asInt()).isEqualTo(404);
        assertThat(body(unknown).path("error").path("code").asText()).isEqualTo("not_found");

        // Webhook replay: a job without a webhook has nothing to replay (409), an unknown one is 404.
        JsonNode noHook = call("submit", sample("submit-retry-webhook.json").replace(SAMPLE_JOB_ID, id));
        assertThat(noHook.path("statusCode").asInt()).isEqualTo(409);
        assertThat(body(noHook).path("error").path("code").asText()).isEqualTo("webhook_not_sent");
        JsonNode noJob = call("submit", sample("submit-retry-webhook.json"));
        assertThat(noJob.path("statusCode").asInt()).isEqualTo(404);
        assertThat(body(noJob).path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void statusAnswersTheViewWithWorkingOutputUrls() throws Exception {
        String id = submittedJob();
        JsonNode response = call("status", sample("status-get-job.json").replace(SAMPLE_JOB_ID, id));
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode view = body(response);
        assertThat(view.path("id").asText()).isEqualTo(id);
        assertThat(view.path("status").asText()).isEqualTo("succeeded");
        assertThat(view.path("metadata").path("user").asText()).isEqualTo("42");
        assertThat(view.path("outputs")).hasSize(1);
        String url = view.path("outputs").get(0).path("url").asText();
        assertThat(url)
                .startsWith(s3.endpoint() + "/" + BUCKET + "/outputs/" + id + "/1.png?")
                .contains("X-Amz-Signature=");
        HttpResponse<byte[]> png = http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G');

        JsonNode unknown = call("status", sample("status-get-job.json"));
        assertThat(unknown.path("statusCode").asInt()).isEqualTo(404);
        assertThat(body(unknown).path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void statusListsTheTenantsJobsNewestFirst() {
        String older = submittedJob();
        String newer = submittedJob();
        JsonNode response = call("status", sample("status-list-jobs.json"));
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode page = body(response);
        assertThat(page.path("data")).hasSize(2);
        assertThat(page.path("data").get(0).path("id").asText()).isEqualTo(newer);
        assertThat(page.path("data").get(1).path("id").asText()).isEqualTo(older);
        assertThat(page.has("next_cursor")).isTrue();
    }

    /** Behind API Gateway's JWT authorizer ({@code events/status-get-job-jwt.json}) the verified claim is the tenant. */
    @Test
    void statusBehindTheJwtAuthorizerAnswersOnlyTheClaimsTenant() throws Exception {
        LambdaRuntimes.Child jwt = start(
                "status",
                work.resolve("status-jwt.log"),
                Map.of("VISAGE_AUTH_API_KEYS", "", "VISAGE_AUTH_JWT_TENANT_CLAIM", "sub"));
        try {
            jwt.awaitReady(START);
            Instant now = Instant.now();
            JobId id = JobId.random();
            putRecord(Job.builder()
                    .id(id)
                    .tenant("tenant-sample")
                    .status(JobStatus.QUEUED)
                    .operation(Operation.HEAD_SHOT)
                    .provider("local")
                    .createdAt(now)
                    .updatedAt(now)
                    .expiresAt(now.plus(Duration.ofHours(24)))
                    .build());
            String event = sample("status-get-job-jwt.json").replace(SAMPLE_JOB_ID, id.value());
            JsonNode mine = parse(jwt.invoke(event, ANSWER));
            assertThat(mine.path("statusCode").asInt()).isEqualTo(200);
            assertThat(body(mine).path("id").asText()).isEqualTo(id.value());
            JsonNode other =
                    parse(jwt.invoke(event.replace("\"sub\": \"tenant-sample\"", "\"sub\": \"other\""), ANSWER));
            assertThat(other.path("statusCode").asInt()).isEqualTo(404);
        } finally {
            jwt.stop();
        }
    }

    @Test
    void anEventThatIsNotJsonIsAnInvocationErrorAndTheRuntimeGoesOn() {
        assertThatThrownBy(() -> children.get("status").api().invoke("{not json", ANSWER))
                .isInstanceOfSatisfying(RuntimeApi.FunctionError.class, e -> {
                    // The error type goes in the optional Lambda-Runtime-Function-Error-Type header (the RIC) or
                    // only in the body (Quarkus's native poll loop); the Runtime API takes either.
                    JsonNode error = parse(e.body());
                    assertThat(
                                    e.errorType() != null
                                            ? e.errorType()
                                            : error.path("errorType").asText())
                            .isNotBlank();
                    assertThat(error.path("errorMessage").isTextual()).isTrue();
                });
        JsonNode unknown = call("status", sample("status-get-job.json"));
        assertThat(unknown.path("statusCode").asInt()).isEqualTo(404);
    }

    @Test
    void aClientFacingFunctionWithoutKeysRefusesToStart() throws Exception {
        LambdaRuntimes.Child open =
                start("submit", work.resolve("submit-open.log"), Map.of("VISAGE_AUTH_API_KEYS", ""));
        try {
            assertThatThrownBy(() -> open.awaitReady(START))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("did not start");
            // The native runtime reports the init error from its poll thread before the main thread logs why.
            assertThat(open.awaitExit(Duration.ofSeconds(10)))
                    .as("the runtime exits")
                    .isTrue();
            assertThat(Files.readString(open.log())).contains("refusing to serve submit open");
        } finally {
            open.stop();
        }
    }

    @Test
    void webhookFindsAJobOnlyWithItsToken() {
        String token = WebhookToken.generate();
        Instant now = Instant.now();
        JobId id = JobId.random();
        putRecord(Job.builder()
                .id(id)
                .status(JobStatus.PROCESSING)
                .operation(Operation.HEAD_SHOT)
                .provider("modelslab")
                .webhookTokenHash(WebhookToken.hash(token))
                .createdAt(now)
                .updatedAt(now)
                .expiresAt(now.plus(Duration.ofHours(24)))
                .build());
        String sample = sample("webhook-provider-callback.json").replace(SAMPLE_JOB_ID, id.value());

        // The provider is unreachable (loopback port 9), so the job stays processing: the body is never trusted.
        JsonNode right = call("webhook", sample.replace(SAMPLE_TOKEN, token));
        assertThat(right.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(right).path("id").asText()).isEqualTo(id.value());
        assertThat(body(right).path("status").asText()).isEqualTo("processing");

        JsonNode wrong = call("webhook", sample.replace(SAMPLE_TOKEN, WebhookToken.generate()));
        JsonNode noJob = call("webhook", sample("webhook-provider-callback.json"));
        for (JsonNode response : List.of(wrong, noJob)) {
            assertThat(response.path("statusCode").asInt()).isEqualTo(404);
            assertThat(body(response).path("error").path("code").asText()).isEqualTo("not_found");
        }
        assertThat(body(wrong)).isEqualTo(body(noJob));
        assertThat(record(id.value()).path("status").asText()).isEqualTo("processing");
    }

    @Test
    void uploadStartsTheJobOfTheUploadedPhotoOnce() throws Exception {
        JsonNode ticket = createUpload();
        String id = ticket.path("job_id").asText();
        // The client's POST of the signed form the ticket carries.
        Map<String, String> form = new LinkedHashMap<>();
        ticket.path("upload_fields")
                .properties()
                .forEach(f -> form.put(f.getKey(), f.getValue().asText()));
        assertThat(UploadForms.post(URI.create(ticket.path("upload_url").asText()), form, photo("astronaut.jpg"))
                        .statusCode())
                .isEqualTo(204);
        // The sample's second record names "face copy+1.jpg", URL-encoded; it is no job's photo.
        String stray = "uploads/" + id + "/face copy+1.jpg";
        bucket.putObject(
                b -> b.bucket(BUCKET).key(stray).contentType("image/jpeg"),
                RequestBody.fromBytes(photo("astronaut.jpg")));
        assertThat(keys("uploads/" + id + "/")).hasSize(2);

        String event = sample("upload-object-created.json").replace(SAMPLE_JOB_ID, id);
        JsonNode started = call("upload", event);
        assertThat(started.isArray()).as("the answer is a list").isTrue();
        assertThat(started).hasSize(1);
        assertThat(started.get(0).path("key").asText()).isEqualTo("uploads/" + id + "/face.jpg");
        assertThat(started.get(0).path("job_id").asText()).isEqualTo(id);
        assertThat(started.get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(record(id).path("status").asText()).isEqualTo("succeeded");
        assertThat(keys("uploads/" + id + "/"))
                .as("the photo moved to inputs/, the stray object deleted")
                .isEmpty();
        assertThat(keys("inputs/" + id + "/")).hasSize(1);
        assertThat(keys("outputs/" + id + "/")).hasSize(1);

        // S3 delivers at least once: a repeat changes nothing.
        JsonNode repeat = call("upload", event);
        assertThat(repeat).hasSize(1);
        assertThat(repeat.get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(keys("outputs/" + id + "/")).hasSize(1);

        // The sample as it is: objects of no job are removed, nothing is started.
        bucket.putObject(
                b -> b.bucket(BUCKET).key("uploads/" + SAMPLE_JOB_ID + "/face copy+1.jpg"),
                RequestBody.fromBytes(photo("astronaut.jpg")));
        JsonNode none = call("upload", sample("upload-object-created.json"));
        assertThat(none.isArray()).isTrue();
        assertThat(none).isEmpty();
        assertThat(keys("uploads/" + SAMPLE_JOB_ID + "/")).isEmpty();
    }

    /**
     * The SQS batch reaches the worker as it is, not unwrapped by Funqy's own SQS handling (which the artifact turns
     * off): a message that is no work is reported by its id, for SQS to deliver again.
     */
    @Test
    void theWorkerReportsAMessageThatIsNoWork() throws IOException {
        ObjectNode batch = (ObjectNode) Json.MAPPER.readTree(sample("worker-sqs-batch.json"));
        ObjectNode first = (ObjectNode) batch.get("Records").get(0);
        first.put("body", "not work");

        JsonNode answer = call("worker", batch.toString());

        assertThat(answer.path("batchItemFailures").isArray())
                .as("a partial batch answer")
                .isTrue();
        assertThat(answer.path("batchItemFailures").findValuesAsText("itemIdentifier"))
                .contains(first.path("messageId").asText());
    }

    @Test
    void cleanupSendsWhatIsDueAndTheWorkerDoesIt() {
        Instant now = Instant.now();
        // A finished job past its TTL, with its output still in the bucket.
        JobId old = JobId.random();
        String output = "outputs/" + old + "/1.png";
        putRecord(Job.builder()
                .id(old)
                .status(JobStatus.SUCCEEDED)
                .operation(Operation.HEAD_SHOT)
                .provider("local")
                .outputs(List.of(new StoredObject(output, "image/png", 4, 1, 1)))
                .createdAt(now.minus(Duration.ofHours(25)))
                .updatedAt(now.minus(Duration.ofHours(25)))
                .expiresAt(now.minus(Duration.ofHours(1)))
                .build());
        bucket.putObject(
                b -> b.bucket(BUCKET).key(output).contentType("image/png"), RequestBody.fromBytes(new byte[4]));
        // An upload job whose URL expired without a photo.
        JobId abandoned = JobId.random();
        Instant created = now.minus(Duration.ofMinutes(20));
        putRecord(Job.builder()
                .id(abandoned)
                .status(JobStatus.QUEUED)
                .operation(Operation.HEAD_SHOT)
                .provider("local")
                .upload(new UploadSlot(
                        "uploads/" + abandoned + "/face.jpg", "image/jpeg", created.plus(Duration.ofMinutes(15))))
                .createdAt(created)
                .updatedAt(created)
                .expiresAt(created.plus(Duration.ofHours(24)))
                .build());

        // Their timers, due a minute ago, in the due-work index as the functions leave timers too far off to queue.
        for (JobId id : List.of(old, abandoned)) {
            Work wake = Work.wake(id, now.minus(Duration.ofMinutes(1)));
            bucket.putObject(
                    b -> b.bucket(BUCKET).key(Keys.due(wake)).contentType("application/json"),
                    RequestBody.fromString(WorkMessages.encode(wake)));
        }

        JsonNode summary = call("cleanup", sample("cleanup-scheduled.json"));
        assertThat(summary.isObject()).as("the cleanup's summary").isTrue();
        List<String> fields = new ArrayList<>();
        summary.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("sent", "unreadable", "errors");
        assertThat(summary.path("sent").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(summary.path("errors").asInt()).isZero();
        assertThat(keys("due/")).noneMatch(k -> k.contains(old.value()) || k.contains(abandoned.value()));

        // The queue's messages for the two jobs, delivered to the worker as the event source mapping does.
        List<WorkQueues.Received> sent = queue.drain().stream()
                .filter(m -> m.body().contains(old.value()) || m.body().contains(abandoned.value()))
                .toList();
        assertThat(sent).hasSize(2);
        JsonNode answer = call("worker", WorkQueues.lambdaEvent(sent));
        assertThat(answer.path("batchItemFailures")).isEmpty();

        assertThat(record(old.value()).path("status").asText()).isEqualTo("expired");
        assertThat(keys("outputs/" + old + "/")).isEmpty();
        JsonNode failed = record(abandoned.value());
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("expired");
    }

    // ---- fixtures made through the functions themselves

    private String submittedJob() {
        JsonNode created = call("submit", sample("submit-create-job.json"));
        assertThat(created.path("statusCode").asInt()).isEqualTo(202);
        String id = body(created).path("id").asText();
        assertThat(settled(id).path("status").asText()).isEqualTo("succeeded");
        return id;
    }

    /**
     * The record of job {@code id} once the work submit left for it is done: where submit does not run the engine,
     * the job's work message is taken from the queue and handed to the worker, as the event source mapping would.
     */
    private JsonNode settled(String id) {
        JsonNode record = record(id);
        if (submitRunsTheEngine() || !record.path("status").asText().equals("queued")) {
            return record;
        }
        List<WorkQueues.Received> work =
                queue.drain().stream().filter(m -> m.body().contains(id)).toList();
        assertThat(work).as("the work message submit sent for " + id).isNotEmpty();
        assertThat(call("worker", WorkQueues.lambdaEvent(work)).path("batchItemFailures"))
                .isEmpty();
        return record(id);
    }

    private JsonNode createUpload() {
        JsonNode response = call("submit", sample("submit-create-upload.json"));
        assertThat(response.path("statusCode").asInt()).isEqualTo(201);
        JsonNode ticket = body(response);
        String id = ticket.path("job_id").asText();
        assertThat(id).matches("job_[a-z2-7]{26}");
        assertThat(ticket.path("upload_url").asText()).isEqualTo(s3.endpoint() + "/" + BUCKET + "/");
        assertThat(ticket.path("upload_fields").path("key").asText()).isEqualTo("uploads/" + id + "/face.jpg");
        assertThat(ticket.path("upload_fields").path("Content-Type").asText()).isEqualTo("image/jpeg");
        assertThat(ticket.path("upload_fields").path("x-amz-signature").asText())
                .matches("[0-9a-f]{64}");
        // The signed policy (Jackson and javax.crypto, in the native image too) names the key and caps the size.
        JsonNode policy = parse(new String(
                Base64.getDecoder()
                        .decode(ticket.path("upload_fields").path("policy").asText()),
                StandardCharsets.UTF_8));
        assertThat(policy.path("conditions").toString())
                .contains("{\"key\":\"uploads/" + id + "/face.jpg\"}")
                .contains("[\"content-length-range\",1,"
                        + ticket.path("max_bytes").asLong() + "]");
        return ticket;
    }

    // ---- invoking and reading answers

    /** Invokes {@code export} with {@code event} through its runtime API; answers what it returned, parsed. */
    private JsonNode call(String export, String event) {
        String answer = children.get(export).invoke(event, ANSWER);
        try {
            return Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw new AssertionError(export + " answered something that is not JSON: " + answer, e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The JSON body of an API Gateway answer. */
    private static JsonNode body(JsonNode response) {
        try {
            return Json.MAPPER.readTree(response.path("body").asText());
        } catch (IOException e) {
            throw new AssertionError("body is not JSON: " + response, e);
        }
    }

    private static String sample(String name) {
        return SampleEvents.read(name);
    }

    private static byte[] photo(String name) throws IOException {
        try (InputStream in = LambdaFunctionsContract.class.getResourceAsStream("/photos/" + name)) {
            assertThat(in).as("test photo " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    // ---- the bucket, read and written directly

    private List<String> keys(String prefix) {
        return bucket.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private JsonNode record(String id) {
        try {
            return Json.MAPPER.readTree(
                    bucket.getObjectAsBytes(b -> b.bucket(BUCKET).key("jobs/" + id + ".json"))
                            .asByteArray());
        } catch (NoSuchKeyException e) {
            throw new AssertionError("no record jobs/" + id + ".json in the bucket", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a record the way the functions do (the same stored format), creating it. */
    private void putRecord(Job job) {
        bucket.putObject(
                b -> b.bucket(BUCKET)
                        .key("jobs/" + job.id() + ".json")
                        .contentType("application/json")
                        .ifNoneMatch("*"),
                RequestBody.fromBytes(StoredJob.FORMAT.write(StoredJob.of(job))));
    }

    private Throwable withLogs(Throwable failure) {
        StringBuilder logs = new StringBuilder(String.valueOf(failure.getMessage()));
        for (LambdaRuntimes.Child child : children.values()) {
            logs.append("\n---- ")
                    .append(child.export())
                    .append(" (")
                    .append(child.log())
                    .append(") ----\n")
                    .append(child.tail(40));
        }
        AssertionError error = new AssertionError(logs.toString(), failure);
        error.setStackTrace(failure.getStackTrace());
        return error;
    }
}
