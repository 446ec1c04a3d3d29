package app.visage.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.usecase.FindJob;
import app.visage.support.DueWork;
import app.visage.support.MetadataPhotos;
import app.visage.support.ProviderEmulators;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a 10 MB photo's submit allocates on the calling thread (the Lambda's one request thread): the photo
 * itself is the one allocation it cannot avoid, so the budgets are in photos. Measured as MemoryBench does
 * (section 4 of docs/performance.md), with com.sun.management.ThreadMXBean's per-thread allocation counter,
 * through the submit function on API Gateway events built from the samples, against the ModelsLab emulator.
 */
@QuarkusTest
@TestProfile(BudgetProfile.class)
class SubmitAllocationTest {
    /** The decoded photo, and no more than a fifth of it again for everything else (about a tenth today). */
    static final double DATA_URI_BUDGET = 1.2;
    /** The decoded multipart body and the photo cut out of it, and a fifth of a photo for the rest. */
    static final double MULTIPART_BUDGET = 2.2;
    /** Metadata to remove costs the photo without it: one copy, never the two a growing buffer made. */
    static final double STRIPPED_COPY = 1.0;

    private static final int WARM_UPS = 2;
    private static final int RUNS = 3;
    private static final String BOUNDARY = "----visage-sample-7MA4YWxkTrZu0gW";
    private static final String REQUEST =
            "{\"operation\":\"head_shot\",\"provider\":\"modelslab\",\"params\":{\"prompt\":\"studio portrait\","
                    + "\"width\":64,\"height\":64}}";
    /** A photo with nothing to remove: ImageIO writes a JFIF header and nothing else. */
    private static byte[] photo;

    @Inject
    SubmitFunction submit;

    @Inject
    FindJob findJob;

    @Inject
    DueWork dueWork;

    private final ModelsLabEmulator modelslab = ProviderEmulators.modelslab();

    @BeforeAll
    static void makePhoto() {
        photo = noisyJpeg(10_000_000);
    }

    @BeforeEach
    void quickProvider() {
        modelslab.reset();
        modelslab.processingTime(Duration.ofMillis(50));
    }

    @ParameterizedTest(name = "with an Idempotency-Key: {0}")
    @ValueSource(booleans = {false, true})
    void aDataUriSubmitAllocatesLittleMoreThanThePhoto(boolean idempotencyKey) {
        assertWithinBudget(dataUri(photo), idempotencyKey, photo.length, DATA_URI_BUDGET, "a data URI");
    }

    @ParameterizedTest(name = "with an Idempotency-Key: {0}")
    @ValueSource(booleans = {false, true})
    void aMultipartSubmitAllocatesLittleMoreThanTwoPhotos(boolean idempotencyKey) {
        assertWithinBudget(multipart(photo), idempotencyKey, photo.length, MULTIPART_BUDGET, "multipart");
    }

    @ParameterizedTest(name = "multipart: {0}")
    @ValueSource(booleans = {false, true})
    void aPhotoWithMetadataCostsOneCopyMore(boolean multipart) {
        byte[] withGps = MetadataPhotos.afterFirstSegment(
                photo,
                MetadataPhotos.segment(
                        0xE1,
                        MetadataPhotos.concat(
                                "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), MetadataPhotos.exifWithGps())));
        assertWithinBudget(
                multipart ? multipart(withGps) : dataUri(withGps),
                false,
                withGps.length,
                (multipart ? MULTIPART_BUDGET : DATA_URI_BUDGET) + STRIPPED_COPY,
                (multipart ? "multipart" : "a data URI") + " with EXIF GPS to remove");
    }

    private static APIGatewayV2HTTPEvent dataUri(byte[] jpeg) {
        APIGatewayV2HTTPEvent event = SampleEvents.apiEvent(SampleEvents.read("submit-create-job.json"));
        event.setBody(REQUEST.replace(
                "\"params\"",
                "\"face_image\":\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg)
                        + "\",\"params\""));
        return event;
    }

    private static APIGatewayV2HTTPEvent multipart(byte[] jpeg) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(jpeg.length + 512);
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"request\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + REQUEST + "\r\n--" + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"face_image\"; filename=\"me.jpg\"\r\n"
                        + "Content-Type: image/jpeg\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(jpeg);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        APIGatewayV2HTTPEvent event = SampleEvents.apiEvent(SampleEvents.read("submit-create-job-multipart.json"));
        event.setBody(Base64.getEncoder().encodeToString(body.toByteArray()));
        return event;
    }

    private void assertWithinBudget(
            APIGatewayV2HTTPEvent event, boolean idempotencyKey, int photoBytes, double photos, String how) {
        long allocated = callerAllocation(event, idempotencyKey);
        assertThat(allocated)
                .as(
                        "bytes the caller allocated submitting a %d-byte photo as %s%s: %.2f photos, budget %.1f",
                        photoBytes,
                        how,
                        idempotencyKey ? " with an Idempotency-Key" : "",
                        (double) allocated / photoBytes,
                        photos)
                .isLessThanOrEqualTo((long) (photos * photoBytes));
    }

    /**
     * The median over a few submits, after some that warm the path up; each job is seen to the end. With
     * {@code idempotencyKey}, each submit has a key of its own, so each is a first request (fingerprinted).
     */
    private long callerAllocation(APIGatewayV2HTTPEvent event, boolean idempotencyKey) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[RUNS];
        for (int run = -WARM_UPS; run < RUNS; run++) {
            if (idempotencyKey) {
                Map<String, String> headers = new HashMap<>(event.getHeaders());
                headers.put("idempotency-key", "allocation-" + UUID.randomUUID());
                event.setHeaders(headers);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            APIGatewayV2HTTPResponse response = submit.submit(event);
            long after = threads.getCurrentThreadAllocatedBytes();
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            awaitEnded(JsonPath.from(response.getBody()).getString("id"));
            if (run >= 0) {
                allocated[run] = after - before;
            }
        }
        Arrays.sort(allocated);
        return allocated[RUNS / 2];
    }

    /**
     * Until the job has ended (the worker's start, the emulator's webhook, the worker's confirmation): by then it
     * has freed its provider slot, so nothing of it is still running when the next submit (or the next test's
     * count of S3 requests) starts.
     */
    private void awaitEnded(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!findJob.find(id).status().isFinal()) {
            assertThat(System.nanoTime()).as("job %s ended in time", id).isLessThan(deadline);
            dueWork.run();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(findJob.find(id).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    /**
     * A JPEG of seeded noise just under {@code bytes}: noise compresses like nothing else, so one trial
     * encoding tells how many pixels make the size.
     */
    private static byte[] noisyJpeg(long bytes) {
        double pixels = 1_000_000;
        byte[] jpeg = new byte[0];
        for (int attempt = 0; attempt < 4 && (jpeg.length > bytes || jpeg.length < bytes * 0.97); attempt++) {
            jpeg = encodeNoise((int) Math.sqrt(pixels));
            pixels *= bytes * 0.985 / jpeg.length;
        }
        assertThat(jpeg.length).as("test photo size").isBetween((int) (bytes * 0.97), (int) bytes);
        return jpeg;
    }

    private static byte[] encodeNoise(int side) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(7);
        int[] row = new int[side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                row[x] = random.nextInt(0x1000000);
            }
            image.setRGB(0, y, side, 1, row, 0, side);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
            stream.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }
}
