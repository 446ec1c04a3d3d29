package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.usecase.SendDueWork;
import app.visage.local.LocalS3;
import app.visage.support.Bucket;
import app.visage.support.DueWork;
import app.visage.support.ProviderEmulators;
import app.visage.support.S3Budget;
import app.visage.support.S3Requests;
import app.visage.support.TestClock;
import app.visage.support.TestPhotos;
import app.visage.support.UploadForms;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 requests each kind of call makes, held to budgets: every call goes through its function with the
 * sample event of events/ it is deployed for, against the embedded S3 (which counts what it receives) and
 * the provider emulators. S3 requests are most of what a job costs on AWS (docs/performance.md, section 7),
 * and a count, unlike a time, is the same on every run, so a test can hold it.
 *
 * <p>Each budget is what the call makes today, counted by this test: more of any type fails the build
 * with the list of requests made; fewer is an improvement to write down here. CostModelBench's counts per
 * whole job, through the packaged Lambdas, are these budgets added up (docs/performance.md, section 7).
 */
@QuarkusTest
@TestProfile(BudgetProfile.class)
class S3RequestBudgetTest {
    // Every budget below is the count this test made on 2026-12-03 (the types: see S3Requests), request by request.

    /**
     * The input, the job's marker in its tenant's index (+1 since GET /v1/jobs), the record (created already
     * claimed), the output, the record to processing and to succeeded, and the job's expiry a day off, a marker in
     * the due-work index.
     */
    static final S3Budget SUBMIT_LOCAL_HEAD_SHOT = new S3Budget("submit of a local head shot", Map.of("PUT", 7));
    /**
     * The input, the job's marker in its tenant's index (+1 since GET /v1/jobs) and the record: the job waits,
     * queued, for the worker to start it.
     */
    static final S3Budget SUBMIT_PAID = new S3Budget("submit to ModelsLab", Map.of("PUT", 3));
    /**
     * The worker's start: the record read and claimed; a ModelsLab slot read and taken; the photo read by ModelsLab
     * through its presigned URL; the record to processing with ModelsLab's job id.
     */
    static final S3Budget WORKER_START = new S3Budget("the worker's start at ModelsLab", Map.of("PUT", 3, "GET", 3));
    /** The record, whatever the job's state (with polls not due). */
    static final S3Budget STATUS = new S3Budget("status", Map.of("GET", 1));
    /** The record, for the token's hash: the outputs are the worker's to fetch. */
    static final S3Budget PROVIDER_WEBHOOK = new S3Budget("ModelsLab's webhook", Map.of("GET", 1));
    /**
     * The worker's confirmation: the record; the output copied in; the record to succeeded; its expiry in the
     * due-work index; the slot read and freed, and the provider's line listed for a job waiting for it.
     */
    static final S3Budget WORKER_CONFIRM =
            new S3Budget("the worker's confirmation of ModelsLab's webhook", Map.of("PUT", 4, "GET", 2, "LIST", 1));
    /** The job's marker in its tenant's index (+1 since GET /v1/jobs) and the record, waiting for its photo. */
    static final S3Budget UPLOAD_TICKET = new S3Budget("upload ticket", Map.of("PUT", 2));
    /** GET /v1/jobs?limit=2: one list of the tenant's index, and each record listed (the markers are never read). */
    static final S3Budget LIST_JOBS = new S3Budget("a list of two jobs", Map.of("LIST", 1, "GET", 2));
    /** The photo, with the signed form: the client's request, not Visage's, but billed with the job (as a PUT). */
    static final S3Budget CLIENT_UPLOAD =
            new S3Budget("the client's upload with its signed form", Map.of("POST_OBJECT", 1));
    /**
     * The record and the uploaded photo; the photo as the input; the record with its input; the upload
     * deleted (DeleteObjects); the record claimed; the output; the record to processing and to succeeded; the
     * job's expiry in the due-work index.
     */
    static final S3Budget UPLOADED =
            new S3Budget("object-created event (upload)", Map.of("GET", 2, "PUT", 7, "POST", 1));
    /** One list of due/ that finds nothing due yet, however many jobs are stored and timers are set. */
    static final S3Budget CLEANUP = new S3Budget("cleanup with nothing due", Map.of("LIST", 1));

    private static final String SAMPLE_TOKEN = "sample-token";

    @Inject
    LocalS3 s3;

    @Inject
    SubmitFunction submit;

    @Inject
    StatusFunction status;

    @Inject
    WebhookFunction webhook;

    @Inject
    UploadFunction upload;

    @Inject
    CleanupFunction cleanup;

    @Inject
    FileStore files;

    @Inject
    Bucket bucket;

    @Inject
    TestClock clock;

    @Inject
    DueWork dueWork;

    private final ModelsLabEmulator modelslab = ProviderEmulators.modelslab();
    private final HttpClient http = HttpClient.newHttpClient();
    private S3Requests requests;

    @BeforeEach
    void record() {
        dueWork.purge();
        requests = new S3Requests(s3);
        modelslab.reset();
        modelslab.processingTime(Duration.ofMillis(50));
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void submitOfALocalHeadShot() {
        AtomicReference<JsonPath> job = new AtomicReference<>();
        List<S3Requests.Request> made =
                requests.during(() -> job.set(submitted(SampleEvents.read("submit-create-job.json"))));

        assertThat(job.get().getString("status")).isEqualTo("succeeded"); // the engine ran within the call
        assertThat(bucket.keys("outputs/" + job.get().getString("id") + "/")).isNotEmpty();
        SUBMIT_LOCAL_HEAD_SHOT.check(made);
    }

    @Test
    void aPaidJobItsStatusCallsAndItsProvidersWebhook() {
        modelslab.nextSubmit(ModelsLabEmulator.Script.dropWebhook()); // the webhook comes from the sample instead
        AtomicReference<JsonPath> job = new AtomicReference<>();
        List<S3Requests.Request> submitted = requests.during(() -> job.set(submitted(paidJob())));
        String id = job.get().getString("id");
        assertThat(job.get().getString("status")).isEqualTo("queued");
        SUBMIT_PAID.check(submitted);
        WORKER_START.check(
                requests.during(() -> assertThat(dueWork.deliver().failures()).isZero()));

        STATUS.check(requests.during(() -> assertThat(statusOf(id)).isEqualTo("processing")));

        await("ModelsLab finished", () -> !modelslab.outputsFor(id).isEmpty());
        String event = SampleEvents.read("webhook-provider-callback.json")
                .replace(SampleEvents.SAMPLE_JOB_ID, id)
                .replace(SAMPLE_TOKEN, webhookToken());
        List<S3Requests.Request> webhooked = requests.during(() -> {
            APIGatewayV2HTTPResponse answer = webhook.webhook(SampleEvents.apiEvent(event));
            assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(200);
        });
        PROVIDER_WEBHOOK.check(webhooked);
        WORKER_CONFIRM.check(
                requests.during(() -> assertThat(dueWork.deliver().failures()).isZero()));

        STATUS.check(requests.during(() -> assertThat(statusOf(id)).isEqualTo("succeeded")));
    }

    @Test
    void anUploadFromTicketToStartedJob() {
        AtomicReference<JsonPath> ticket = new AtomicReference<>();
        List<S3Requests.Request> ticketed = requests.during(() -> ticket.set(JsonPath.from(
                answer(SampleEvents.read("submit-create-upload.json"), 201).getBody())));
        UPLOAD_TICKET.check(ticketed);
        String id = ticket.get().getString("job_id");
        String key = "uploads/" + id + "/face.jpg";
        byte[] photo = TestPhotos.bytes("astronaut.jpg");

        CLIENT_UPLOAD.check(requests.during(() -> clientPost(ticket.get(), photo)));

        AtomicReference<List<UploadFunction.Started>> result = new AtomicReference<>();
        List<S3Requests.Request> uploaded =
                requests.during(() -> result.set(upload.upload(SampleEvents.objectCreated(key, photo.length))));
        assertThat(result.get()).extracting(UploadFunction.Started::status).containsExactly("succeeded");
        UPLOADED.check(uploaded);
    }

    @Test
    void aListOfTwoJobs() {
        String older = submitted(SampleEvents.read("submit-create-job.json")).getString("id");
        String newer = submitted(SampleEvents.read("submit-create-job.json")).getString("id");
        AtomicReference<APIGatewayV2HTTPResponse> listed = new AtomicReference<>();

        List<S3Requests.Request> made = requests.during(
                () -> listed.set(status.status(SampleEvents.apiEvent(SampleEvents.read("status-list-jobs.json")))));

        assertThat(listed.get().getStatusCode()).as(listed.get().getBody()).isEqualTo(200);
        assertThat(JsonPath.from(listed.get().getBody()).getList("data.id", String.class))
                .containsExactly(newer, older);
        LIST_JOBS.check(made);
    }

    /**
     * Four stored jobs, each with timers set (two ended, with their expiry a day off; an upload ticket; a paid job
     * at its provider): a cleanup now finds nothing due in the index and reads nothing else.
     */
    @Test
    void aCleanupWithNothingDueIsOneListWhateverIsStored() {
        submitted(SampleEvents.read("submit-create-job.json"));
        submitted(SampleEvents.read("submit-create-job.json"));
        answer(SampleEvents.read("submit-create-upload.json"), 201);
        modelslab.nextSubmit(ModelsLabEmulator.Script.dropWebhook());
        submitted(paidJob());
        assertThat(bucket.keys("due/"))
                .as("the ended jobs' expiry is in the index")
                .isNotEmpty();

        AtomicReference<SendDueWork.Summary> summary = new AtomicReference<>();
        List<S3Requests.Request> cleaned =
                requests.during(() -> summary.set(cleanup.cleanup(SampleEvents.scheduledEvent())));

        assertThat(summary.get().sent()).isZero();
        assertThat(summary.get().errors()).isZero();
        CLEANUP.check(cleaned);
    }

    /** The sample with its photo sent to ModelsLab, which takes a prompt and no output format, instead. */
    private static String paidJob() {
        return SampleEvents.read("submit-create-job.json")
                .replace("\\\"provider\\\": \\\"local\\\"", "\\\"provider\\\": \\\"modelslab\\\"")
                .replace("\\\"output_format\\\": \\\"png\\\"", "\\\"prompt\\\": \\\"studio portrait\\\"");
    }

    private JsonPath submitted(String event) {
        return JsonPath.from(answer(event, 202).getBody());
    }

    private APIGatewayV2HTTPResponse answer(String event, int expected) {
        APIGatewayV2HTTPResponse response = submit.submit(SampleEvents.apiEvent(event));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(expected);
        return response;
    }

    private String statusOf(String id) {
        APIGatewayV2HTTPResponse response = status.status(SampleEvents.apiEvent(
                SampleEvents.read("status-get-job.json").replace(SampleEvents.SAMPLE_JOB_ID, id)));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return JsonPath.from(response.getBody()).getString("status");
    }

    /** The token Visage put in the webhook URL it gave ModelsLab with the job. */
    private String webhookToken() {
        String url = modelslab.generationCalls().getLast().json().get("webhook").asText();
        return url.substring(url.indexOf("token=") + "token=".length());
    }

    private void clientPost(JsonPath ticket, byte[] photo) {
        assertThat(UploadForms.post(ticket, photo).statusCode()).isEqualTo(204);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
