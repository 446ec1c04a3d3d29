package app.visage.bench;

import app.visage.config.VisageConfig;
import app.visage.functions.StatusFunction;
import app.visage.functions.SubmitFunction;
import app.visage.support.DueWork;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Section 2, status: {@code GET /v1/jobs/{id}} through the status function in process, for a succeeded
 * job with two outputs (so two presigned URLs), against a raw GetObject of its record {@code jobs/{id}.json}.
 */
@QuarkusTest
class StatusBench {
    private static final int WARMUP = 100;
    private static final int PAIRS = 300;
    private static final double TARGET = 1.5;

    @Inject
    SubmitFunction submit;

    @Inject
    StatusFunction status;

    @Inject
    S3Client s3;

    @Inject
    VisageConfig config;

    @Inject
    DueWork dueWork;

    @Test
    void statusAgainstGetObject() {
        dueWork.purge();
        byte[] jpeg = BenchPhotos.megapixels(BenchPhotos.PORTRAIT, 0.3);
        APIGatewayV2HTTPResponse created = submit.submit(ApiEvents.submitDataUri(jpeg, BenchProviders.TwoOutputs.ID));
        if (created.getStatusCode() != 202) {
            throw new IllegalStateException("could not submit the job: " + created.getBody());
        }
        String id = created.getBody().replaceAll(".*\"id\":\"(job_[^\"]+)\".*", "$1");
        // A provider's job starts in the worker: the queue's work is delivered to it, as the event source mapping does
        // (what earlier benches left queued is dropped first, so as not to run it here).
        dueWork.deliver();
        APIGatewayV2HTTPEvent event = ApiEvents.getJob(id);
        String view = status.status(event).getBody();
        if (!view.contains("\"succeeded\"")) {
            throw new IllegalStateException("could not make a succeeded job: " + view);
        }
        int urls = view.split("X-Amz-Signature", -1).length - 1;
        Paired.Result r = Paired.run(
                WARMUP,
                PAIRS,
                i -> {
                    APIGatewayV2HTTPResponse response = status.status(event);
                    if (response.getStatusCode() != 200) {
                        throw new IllegalStateException("status answered " + response.getStatusCode());
                    }
                },
                i -> s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key("jobs/" + id + ".json"))
                        .asByteArray());
        Results.section(2, "Status")
                .name("status")
                .figure("status_ms", r.subject())
                .figure("get_object_ms", r.floor())
                .figure("presigned_urls_in_view", urls)
                .figure("view_bytes", view.length())
                .ratio("status", r.ratio())
                .target(String.format(Locale.ROOT, "median per-pair ratio <= %.1f", TARGET))
                .met(r.ratio().median() <= TARGET)
                .notes("Status = StatusFunction.status on a prebuilt API Gateway v2 event for a succeeded job with 2 "
                        + "outputs: GetObject of the record, JSON read, no poll (ended job), two presigned GET URLs, "
                        + "JSON view. Floor = S3Client.getObjectAsBytes of jobs/{id}.json, same client, same embedded "
                        + "S3. Pairs interleaved.")
                .write();
    }
}
