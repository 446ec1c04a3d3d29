package app.visage.bench;

import app.visage.config.VisageConfig;
import app.visage.functions.SubmitFunction;
import app.visage.images.ImageHeader;
import app.visage.images.ImageInspector;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.JobStore;
import app.visage.jobs.usecase.Providers;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Section 1, submit overhead: {@code POST /v1/jobs} with a 1 MB JPEG (as a data URI in JSON, and as
 * multipart) through the submit function in process, against the embedded S3, with a provider that
 * answers at once; against the floor of the same process doing only the two S3 writes a submit needs:
 * the input object and the conditional (If-None-Match) create of the job record.
 */
@QuarkusTest
class SubmitBench {
    private static final int WARMUP = 30;
    private static final int PAIRS = 100;
    private static final double TARGET = 1.3;
    private static final Pattern ID = Pattern.compile("\"id\":\"(job_[^\"]+)\"");

    @Inject
    SubmitFunction submit;

    @Inject
    FileStore files;

    @Inject
    JobStore jobs;

    @Inject
    Providers providers;

    @Inject
    VisageConfig config;

    @Test
    void submitAgainstTwoWrites() {
        byte[] jpeg = BenchPhotos.ofSize(BenchPhotos.PORTRAIT, 1_000_000);
        ImageHeader header = new ImageInspector().inspect(jpeg);
        Results results = Results.section(1, "Submit overhead").name("submit");
        results.figure("photo", BenchPhotos.dimensions(jpeg) + ", " + jpeg.length + " bytes");
        boolean met = true;
        List<String> statuses = new ArrayList<>();
        for (String kind : List.of("data_uri", "multipart")) {
            APIGatewayV2HTTPEvent event = kind.equals("data_uri")
                    ? ApiEvents.submitDataUri(jpeg, BenchProviders.Instant.ID)
                    : ApiEvents.submitMultipart(jpeg, BenchProviders.Instant.ID);
            List<JobId> written = new ArrayList<>();
            Paired.Result r = Paired.run(
                    WARMUP,
                    PAIRS,
                    i -> {
                        APIGatewayV2HTTPResponse response = submit.submit(event);
                        if (response.getStatusCode() != 202) {
                            throw new IllegalStateException(
                                    "submit answered " + response.getStatusCode() + ": " + response.getBody());
                        }
                        Matcher m = ID.matcher(response.getBody());
                        m.find();
                        written.add(JobId.of(m.group(1)));
                        if (i == 0) {
                            statuses.add(
                                    kind + ": " + response.getBody().replaceAll(".*\"status\":\"([a-z]+)\".*", "$1"));
                        }
                    },
                    i -> {
                        JobId id = JobId.random();
                        Photo photo = new Photo(jpeg, header);
                        StoredObject input = photo.asInputOf(id);
                        files.put(input.key(), jpeg, photo.contentType());
                        jobs.create(Job.queued(
                                id,
                                Tenant.ANONYMOUS,
                                Operation.HEAD_SHOT,
                                BenchProviders.Instant.ID,
                                Params.none(),
                                Map.of(),
                                null,
                                input,
                                null,
                                Instant.now(),
                                config.ttl()));
                        written.add(id);
                    },
                    () -> {
                        // Untimed: the embedded S3 keeps objects in this heap; the job records stay.
                        files.delete(written.stream()
                                .map(id -> "inputs/" + id + "/face.jpg")
                                .toList());
                        written.clear();
                    });
            results.figure("submit_" + kind + "_ms", r.subject())
                    .figure("floor_" + kind + "_ms", r.floor())
                    .ratio(kind, r.ratio());
            met &= r.ratio().median() <= TARGET;
        }
        results.figure("job_status_after_submit", String.join(", ", statuses))
                .target(String.format(Locale.ROOT, "median per-pair ratio <= %.1f (data URI and multipart)", TARGET))
                .met(met)
                .notes("Submit = SubmitFunction.submit on a prebuilt API Gateway v2 event (JSON text body with a "
                        + "data URI, or base64 multipart body, as API Gateway delivers them), provider "
                        + BenchProviders.Instant.ID + " answering Pending at once: decode, sniff and check the photo, "
                        + "put inputs/{id}/face.jpg, create jobs/{id}.json (If-None-Match: *), start the provider and "
                        + "record its answer (job processing), 202 view. Floor = FileStore.put of the same bytes + "
                        + "JobStore.create of a queued record, same process, same embedded S3 (in memory, over loopback "
                        + "HTTP). Pairs interleaved; inputs deleted untimed between pairs.")
                .write();
    }
}
