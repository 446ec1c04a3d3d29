package app.visage.faults;

import static app.visage.support.LocalApi.outputBytes;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.usecase.JobRecords;
import app.visage.local.LocalHttpServer;
import app.visage.support.Bucket;
import app.visage.support.DueWork;
import app.visage.support.LocalApi;
import app.visage.support.TestClock;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What the fault tests share: submitting, running the due work on the test clock, and checking outputs. Not a
 * bean: it needs {@link FaultyS3}, which only {@link FaultProfile} enables.
 */
final class FaultTestSupport {
    private final LocalHttpServer server;
    private final FaultyS3 s3;
    private final DueWork dueWork;
    private final JobRecords records;
    private final TestClock clock;
    private final Bucket bucket;

    FaultTestSupport(
            LocalHttpServer server, FaultyS3 s3, DueWork dueWork, JobRecords records, TestClock clock, Bucket bucket) {
        this.server = server;
        this.s3 = s3;
        this.dueWork = dueWork;
        this.records = records;
        this.clock = clock;
        this.bucket = bucket;
    }

    public S3FaultProxy proxy() {
        return s3.proxy();
    }

    /** POST /v1/jobs with a JSON body and the test photo. */
    public ExtractableResponse<Response> submit(String provider, String operation, Map<String, Object> params) {
        return LocalApi.given(server)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        operation,
                        "provider",
                        provider,
                        "face_image",
                        app.visage.support.TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                        "params",
                        params))
                .post("/v1/jobs")
                .then()
                .extract();
    }

    public String submitAccepted(String provider, String operation, Map<String, Object> params) {
        ExtractableResponse<Response> answer = submit(provider, operation, params);
        assertThat(answer.statusCode())
                .as("submit answer: %s", answer.asString())
                .isEqualTo(202);
        return answer.path("id");
    }

    /** Submits, then runs the due work: the worker's start call at the provider. */
    public String submitAndStart(String provider, String operation, Map<String, Object> params) {
        String id = submitAccepted(provider, operation, params);
        dueWork.run();
        return id;
    }

    /**
     * Runs the due work, without moving the clock, until the job has ended: what the event source mapping does
     * while the providers' webhooks come in on their own threads. At most 15 s.
     */
    public JsonPath awaitEnd(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!record(id).status().isFinal()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "job " + id + " has not ended: " + record(id).status());
            }
            dueWork.run();
            pause();
        }
        return view(id);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** The record as stored (read through the proxy, but not through GET /v1/jobs, which may send a wake-up). */
    public Job record(String id) {
        return records.find(JobId.of(id)).orElseThrow();
    }

    public JsonPath view(String id) {
        return LocalApi.given(server)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The work due {@code later} after the last run: the cleanup, then the worker on every step due by then. */
    public DueWork.Run runDueWorkAfter(Duration later) {
        clock.advance(later);
        return dueWork.run();
    }

    /** Runs the due work a minute apart (on the test clock) until the job has ended; at most 20 times. */
    public JsonPath runDueWorkUntilEnded(String id) {
        for (int i = 0; i < 20 && !record(id).status().isFinal(); i++) {
            runDueWorkAfter(Duration.ofMinutes(1));
        }
        return view(id);
    }

    /** Every output the provider produced is in the view and in outputs/{id}/, byte for byte, and nothing else. */
    public void assertOutputsAre(JsonPath job, String id, List<byte[]> produced, String extension) {
        assertThat(produced).as("outputs the provider produced").isNotEmpty();
        assertThat(job.getList("outputs")).hasSize(produced.size());
        for (int i = 0; i < produced.size(); i++) {
            assertThat(outputBytes(job, i)).as("output %d", i + 1).isEqualTo(produced.get(i));
        }
        assertThat(bucket.keys("outputs/" + id + "/"))
                .filteredOn(k -> !k.endsWith("/result.json"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, produced.size())
                        .mapToObj(n -> "outputs/" + id + "/" + n + "." + extension)
                        .toList());
    }

    public List<String> keys(String prefix) {
        return bucket.keys(prefix);
    }
}
