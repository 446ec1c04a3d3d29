package app.visage.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.visage.idempotency.IdempotencyRecord;
import app.visage.jobs.model.Attempt;
import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Dispatch;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobError;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.model.UploadSlot;
import app.visage.jobs.model.WebhookEvent;
import app.visage.json.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stored formats, pinned by golden fixtures ({@code golden/}, records as the code before versions wrote them,
 * plus {@code schema_version}): each reads into the domain object it should, field by field, and writes back as
 * the same JSON. A stored field renamed, dropped or mapped to the wrong domain field fails here.
 */
class StoredFormatsTest {
    private static final Kind<StoredJob, Job> JOBS = new Kind<>(StoredJob.FORMAT, StoredJob::toDomain, StoredJob::of);
    private static final Kind<StoredIdempotencyRecord, IdempotencyRecord> IDEMPOTENCY =
            new Kind<>(StoredIdempotencyRecord.FORMAT, StoredIdempotencyRecord::toDomain, StoredIdempotencyRecord::of);
    private static final Kind<StoredSlot, JobId> SLOTS =
            new Kind<>(StoredSlot.FORMAT, StoredSlot::toDomain, StoredSlot::of);
    /** Quota documents map to the store's answers field by field: they are their own domain. */
    private static final Kind<StoredQuotaSlot, StoredQuotaSlot> QUOTA_SLOTS =
            new Kind<>(StoredQuotaSlot.FORMAT, Function.identity(), Function.identity());

    private static final Kind<StoredQuotaDay, StoredQuotaDay> QUOTA_DAYS =
            new Kind<>(StoredQuotaDay.FORMAT, Function.identity(), Function.identity());

    /** A stored format with its mapping to the domain and back. */
    private record Kind<D, T>(StoredFormat<D> format, Function<D, T> toDomain, Function<T, D> toStored) {
        T read(byte[] json, String key) {
            return toDomain.apply(format.read(json, key));
        }

        JsonNode write(T domain) {
            return tree(format.write(toStored.apply(domain)));
        }
    }

    // ---- every fixture

    static List<String> fixtures() {
        try (Stream<Path> files =
                Files.list(Path.of(StoredFormatsTest.class.getResource("golden").toURI()))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Kind<?, ?> kindOf(String fixture) {
        return fixture.startsWith("job-")
                ? JOBS
                : fixture.startsWith("idempotency-")
                        ? IDEMPOTENCY
                        : fixture.startsWith("slot-")
                                ? SLOTS
                                : fixture.startsWith("quota-slot-")
                                        ? QUOTA_SLOTS
                                        : fixture.startsWith("quota-day") ? QUOTA_DAYS : null;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void writesBackAsItWasRead(String fixture) {
        assertThat(kindOf(fixture)).as("a kind of record for %s", fixture).isNotNull();
        // Written back at this build's version, whichever it was read at (none: a record from before versions).
        ObjectNode expected = (ObjectNode) tree(bytes(fixture));
        expected.put(StoredFormat.VERSION_FIELD, kindOf(fixture).format().version());
        if (expected.has("client_webhook")) {
            // Version 3 keeps a delivery per event: versions 1 and 2's one is written back as a list of one.
            expected.putArray("client_webhooks").add(expected.remove("client_webhook"));
        }

        assertThat(roundTrip(kindOf(fixture), fixture)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void version1ReadsTheSameWithoutItsVersionField(String fixture) {
        ObjectNode unversioned = (ObjectNode) tree(bytes(fixture));
        assumeTrue(unversioned.path(StoredFormat.VERSION_FIELD).asInt(1) == 1, "a version 1 fixture");
        unversioned.remove(StoredFormat.VERSION_FIELD);

        Object read = kindOf(fixture).read(bytes(fixture), fixture);
        Object readUnversioned = kindOf(fixture).read(Json.write(unversioned), fixture);

        assertThat(readUnversioned).usingRecursiveComparison().isEqualTo(read);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aNewerVersionIsRefusedAndNamed(String fixture) {
        int known = kindOf(fixture).format().version();
        ObjectNode newer = (ObjectNode) tree(bytes(fixture));
        newer.put(StoredFormat.VERSION_FIELD, known + 1);

        assertThatThrownBy(() -> kindOf(fixture).read(Json.write(newer), "some/key.json"))
                .isInstanceOf(UnreadableRecord.class)
                .hasMessageContaining("some/key.json")
                .hasMessageContaining(
                        "schema_version " + (known + 1) + ", newer than this build reads (" + known + ")");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aFieldItsVersionDoesNotHaveIsRefusedNotDropped(String fixture) {
        ObjectNode widened = (ObjectNode) tree(bytes(fixture));
        widened.put("priority", 7);

        assertThatThrownBy(() -> kindOf(fixture).read(Json.write(widened), "some/key.json"))
                .isInstanceOf(UnreadableRecord.class)
                .hasMessageContaining("some/key.json")
                .hasMessageContaining("'priority'");
    }

    // ---- each fixture read into its domain object, field by field

    @Test
    void aJobWaitingForItsUpload() {
        assertThat(JOBS.read(bytes("job-queued-upload.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(Job.builder()
                        .id(JobId.of("job_sccizfbvqpoledualpi2aqcnco"))
                        .status(JobStatus.QUEUED)
                        .operation(Operation.HEAD_SHOT)
                        .provider("local")
                        .params(Map.of())
                        .metadata(Map.of())
                        .webhook("http://127.0.0.1:46563/hooks")
                        .upload(new UploadSlot(
                                "uploads/job_sccizfbvqpoledualpi2aqcnco/face.jpg",
                                "image/jpeg",
                                at("2026-12-03T16:45:52.160083956Z")))
                        .outputs(List.of())
                        .createdAt(at("2026-12-03T16:30:52.160083956Z"))
                        .updatedAt(at("2026-12-03T16:30:52.160083956Z"))
                        .expiresAt(at("2026-12-04T16:30:52.160083956Z"))
                        .dispatch(Dispatch.NONE)
                        .build());
    }

    @Test
    void aJobClaimedForItsStart() {
        assertThat(JOBS.read(bytes("job-queued-claimed.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(fashnJob()
                        .status(JobStatus.QUEUED)
                        .updatedAt(at("2026-12-03T16:28:39.869254423Z"))
                        .dispatch(new Dispatch(
                                0,
                                at("2026-12-03T16:30:39.869254423Z"),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                0,
                                0,
                                null))
                        .build());
    }

    @Test
    void aJobWaitingToBeRetried() {
        assertThat(JOBS.read(bytes("job-queued-retry.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(Job.builder()
                        .id(JobId.of("job_2p3gq5bxj6qiwboz6vfpmkkykn"))
                        .status(JobStatus.QUEUED)
                        .operation(Operation.FACE_RECON)
                        .provider("metahuman")
                        .params(Map.of())
                        .metadata(Map.of())
                        .webhookTokenHash("86c20d718e5b1870734d429e3e6da1af4caaa0e908c97148a4731d42eb7d531c")
                        .input(photo("job_2p3gq5bxj6qiwboz6vfpmkkykn"))
                        .outputs(List.of())
                        .createdAt(at("2026-12-03T16:29:47.793828824Z"))
                        .updatedAt(at("2026-12-03T16:29:47.956599285Z"))
                        .expiresAt(at("2026-12-04T16:29:47.793828824Z"))
                        .dispatch(new Dispatch(
                                1,
                                null,
                                at("2026-12-03T16:29:48.156599285Z"),
                                null,
                                null,
                                null,
                                null,
                                null,
                                0,
                                0,
                                null))
                        .build());
    }

    @Test
    void aJobAtItsProvider() {
        assertThat(JOBS.read(bytes("job-processing-provider-job.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(fashnJob()
                        .status(JobStatus.PROCESSING)
                        .updatedAt(at("2026-12-03T16:28:39.936967162Z"))
                        .dispatch(new Dispatch(
                                0,
                                null,
                                null,
                                0,
                                "8191e436-a8b6-4ffa-9164-51dd9b7e948c",
                                at("2026-12-03T16:28:39.936967162Z"),
                                at("2026-12-03T16:28:51.936967162Z"),
                                at("2026-12-03T16:28:43.936967162Z"),
                                0,
                                0,
                                null))
                        .build());
    }

    @Test
    void aJobRunAgainAfterItsProviderSaidSoKeepsTheFirstRun() {
        assertThat(JOBS.read(bytes("job-processing-run-again.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(fashnJob()
                        .status(JobStatus.PROCESSING)
                        .params(Map.of("prompt", "standing", "seed", 42))
                        .updatedAt(at("2026-12-03T16:29:10.120Z"))
                        .dispatch(new Dispatch(
                                0,
                                null,
                                null,
                                0,
                                "0c55b7c3-55f4-4f7e-9d33-5a1c2f0e6b11",
                                at("2026-12-03T16:29:10.120Z"),
                                at("2026-12-03T16:29:22.120Z"),
                                at("2026-12-03T16:29:14.120Z"),
                                0,
                                0,
                                null))
                        .attempts(List.of(new Attempt(
                                "fashn",
                                "8191e436-a8b6-4ffa-9164-51dd9b7e948c",
                                Attempt.RUN_AGAIN,
                                "PipelineError",
                                "FASHN: An unexpected error occurred during the execution of the pipeline"
                                        + " (prediction 8191e436-a8b6-4ffa-9164-51dd9b7e948c)",
                                at("2026-12-03T16:29:08.010Z"))))
                        .build());
    }

    @Test
    void aJobThatFellBackKeepsTheRefusalItsSeedAndTheProvidersLeft() {
        Job job = JOBS.read(bytes("job-succeeded-after-fall-back.json"), "k");

        assertThat(job.provider()).isEqualTo("modelslab-enterprise");
        assertThat(job.seed()).isEqualTo(4029484891L);
        assertThat(job.fallbacks()).containsExactly("modelslab-face-gen");
        assertThat(job.attempts())
                .containsExactly(new Attempt(
                        "modelslab",
                        null,
                        Attempt.REFUSED,
                        "402",
                        "ModelsLab refused the job: Insufficient credits",
                        at("2026-12-04T01:10:03.100Z")));
        assertThat(job.dispatch().providerJobId()).isEqualTo("32");
    }

    @Test
    void aJobWithItsProvidersAnswerRecorded() {
        Map<String, Object> model = mapAt("job-processing-recorded-answer.json", "/dispatch/answer/result");
        assertThat(model).containsEntry("gender", "Female").containsKeys("blend_shapes", "hair", "skin");

        assertThat(JOBS.read(bytes("job-processing-recorded-answer.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(metahumanJob()
                        .status(JobStatus.PROCESSING)
                        .outputs(List.of())
                        .updatedAt(at("2026-12-03T16:32:58.760962027Z"))
                        .dispatch(new Dispatch(
                                0,
                                null,
                                null,
                                0,
                                null,
                                at("2026-12-03T16:32:58.760962027Z"),
                                null,
                                at("2026-12-03T16:34:58.760962027Z"),
                                0,
                                0,
                                new Dispatch.Answer(
                                        List.of(URI.create("http://127.0.0.1:33231/static/"
                                                + "8c6c7d29-ab9b-4ce9-ba4f-4f78b2728554_texture.png")),
                                        model)))
                        .build());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aJobSucceededWithOutputsAResultAndItsClientWebhookDelivered() {
        Map<String, Object> model = mapAt("job-succeeded.json", "/result");
        assertThat(model).containsEntry("gender", "Female").containsEntry("accessories", List.of());
        assertThat((List<Object>) model.get("blend_shapes")).hasSize(80).startsWith(-0.09853245117595093);

        assertThat(JOBS.read(bytes("job-succeeded.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(metahumanJob()
                        .status(JobStatus.SUCCEEDED)
                        .outputs(List.of(new StoredObject(
                                "outputs/job_vhj2zglznvv2fqd3yvjh4piffu/1.png", "image/png", 535349, 512, 512)))
                        .result(model)
                        .updatedAt(at("2026-12-03T16:52:59.413489311Z"))
                        .dispatch(new Dispatch(
                                0,
                                null,
                                null,
                                0,
                                null,
                                at("2026-12-03T16:32:58.760962027Z"),
                                null,
                                at("2026-12-03T16:34:58.760962027Z"),
                                0,
                                0,
                                null))
                        .clientWebhooks(List.of(new ClientWebhook(
                                "msg_job_vhj2zglznvv2fqd3yvjh4piffu",
                                "job.succeeded",
                                "delivered",
                                null,
                                List.of(
                                        new ClientWebhook.Attempt(at("2026-12-03T16:32:58.970216525Z"), 503, null),
                                        new ClientWebhook.Attempt(
                                                at("2026-12-03T16:42:59.276157099Z"),
                                                null,
                                                "no answer: HttpClosedException"),
                                        new ClientWebhook.Attempt(at("2026-12-03T16:52:59.379560675Z"), 200, null)),
                                0)))
                        .build());
    }

    @Test
    void aJobWithEveryWebhookEventAndAReplayOfItsEnd() {
        String id = "job_m4xq7d2kzr5fvnw3ta6hjpe2bu";
        Job job = JOBS.read(bytes("job-v3-webhooks.json"), "k");

        assertThat(job.webhookEvents())
                .containsExactly(WebhookEvent.STARTED, WebhookEvent.OUTPUT, WebhookEvent.COMPLETED);
        assertThat(job.clientWebhooks())
                .containsExactly(
                        new ClientWebhook(
                                "msg_" + id + "_started",
                                "job.started",
                                "delivered",
                                null,
                                List.of(
                                        new ClientWebhook.Attempt(at("2026-12-04T10:05:00.700Z"), 429, null),
                                        new ClientWebhook.Attempt(at("2026-12-04T10:05:30.700Z"), 204, null)),
                                0),
                        new ClientWebhook(
                                "msg_" + id + "_output",
                                "job.output",
                                "delivered",
                                null,
                                List.of(new ClientWebhook.Attempt(at("2026-12-04T10:05:30.900Z"), 200, null)),
                                0),
                        new ClientWebhook(
                                "msg_" + id,
                                "job.succeeded",
                                "waiting",
                                at("2026-12-04T10:20:00.010Z"),
                                List.of(
                                        new ClientWebhook.Attempt(
                                                at("2026-12-04T10:05:31.100Z"),
                                                null,
                                                "no answer: no complete answer within PT20S"),
                                        new ClientWebhook.Attempt(at("2026-12-04T10:05:36.200Z"), 200, null)),
                                2));
        assertThat(job.webhookAttempts())
                .extracting(ClientWebhook.Sent::type)
                .containsExactly("job.started", "job.started", "job.output", "job.succeeded", "job.succeeded");
    }

    @Test
    void aJobEndedByAnEarlierBuildBeforeItsWebhookWasTriedOwesItsEnd() {
        ObjectNode unsent = (ObjectNode) tree(bytes("job-succeeded-after-fall-back.json"));
        unsent.put("webhook", "https://app.example/visage-events");

        Job job = JOBS.read(Json.write(unsent), "k");

        assertThat(job.clientWebhooks())
                .containsExactly(new ClientWebhook(
                        "msg_job_3u7q2xw5fmbnk4ejvzr6hcyd2a",
                        "job.succeeded",
                        "waiting",
                        at("2026-12-04T01:10:19.750Z"),
                        List.of(),
                        0));
    }

    @Test
    void aWebhookEventThisBuildDoesNotKnowIsRefused() {
        ObjectNode later = (ObjectNode) tree(bytes("job-v3-webhooks.json"));
        later.putArray("webhook_events_filter").add("completed").add("logs");

        assertThatThrownBy(() -> JOBS.read(Json.write(later), "k"))
                .isInstanceOf(UnreadableRecord.class)
                .hasMessageContaining("'logs'");
    }

    @Test
    void aJobFailedWithTheProvidersCode() {
        assertThat(JOBS.read(bytes("job-failed.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(Job.builder()
                        .id(JobId.of("job_26d3w75vktvdcqz2hfjvyuissv"))
                        .status(JobStatus.FAILED)
                        .operation(Operation.FACE_RECON)
                        .provider("metahuman")
                        .params(Map.of())
                        .metadata(Map.of())
                        .webhookTokenHash("b7cd40cea758842c69bc2d2c20f6d5c27b43582f25ade80d51d0f223b049b9ca")
                        .input(photo("job_26d3w75vktvdcqz2hfjvyuissv"))
                        .outputs(List.of())
                        .error(new JobError("image_unreadable", "MetaHuman: empty input image", "6"))
                        .createdAt(at("2026-12-03T16:29:51.419940321Z"))
                        .updatedAt(at("2026-12-03T16:29:51.524031069Z"))
                        .expiresAt(at("2026-12-04T16:29:51.419940321Z"))
                        .dispatch(new Dispatch(
                                0,
                                at("2026-12-03T16:31:51.419940321Z"),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                0,
                                0,
                                null))
                        .build());
    }

    @Test
    void aJobCanceledWhileItsClientWebhookIsBeingSent() {
        assertThat(JOBS.read(bytes("job-canceled.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(Job.builder()
                        .id(JobId.of("job_sccizfbvqpoledualpi2aqcnco"))
                        .status(JobStatus.CANCELED)
                        .operation(Operation.HEAD_SHOT)
                        .provider("local")
                        .params(Map.of())
                        .metadata(Map.of())
                        .webhook("http://127.0.0.1:46563/hooks")
                        .upload(new UploadSlot(
                                "uploads/job_sccizfbvqpoledualpi2aqcnco/face.jpg",
                                "image/jpeg",
                                at("2026-12-03T16:45:52.160083956Z")))
                        .outputs(List.of())
                        .createdAt(at("2026-12-03T16:30:52.160083956Z"))
                        .updatedAt(at("2026-12-03T16:30:52.247405961Z"))
                        .expiresAt(at("2026-12-04T16:30:52.160083956Z"))
                        .dispatch(Dispatch.NONE)
                        .clientWebhooks(List.of(new ClientWebhook(
                                "msg_job_sccizfbvqpoledualpi2aqcnco",
                                "job.canceled",
                                "sending",
                                at("2026-12-03T16:31:52.247405961Z"),
                                List.of(),
                                0)))
                        .build());
    }

    @Test
    void anExpiredJobWithItsClientWebhookStillWaiting() {
        assertThat(JOBS.read(bytes("job-expired.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(Job.builder()
                        .id(JobId.of("job_ui6darskwfev2ad6xyivjbhggy"))
                        .status(JobStatus.EXPIRED)
                        .operation(Operation.HEAD_SHOT)
                        .provider("local")
                        .params(Map.of())
                        .metadata(Map.of("user", "42"))
                        .webhook("http://127.0.0.1:34735/hooks")
                        .webhookTokenHash("a01f9429a3de0e9f6ba8ea48932384a06fb0f674121c5ddbea8e18bccc734a4a")
                        .outputs(List.of())
                        .createdAt(at("2026-12-03T16:30:52.379448370Z"))
                        .updatedAt(at("2026-12-04T17:30:52.628928736Z"))
                        .expiresAt(at("2026-12-04T16:30:52.379448370Z"))
                        .dispatch(new Dispatch(
                                0,
                                null,
                                null,
                                null,
                                null,
                                at("2026-12-03T16:30:52.563037818Z"),
                                null,
                                null,
                                0,
                                0,
                                null))
                        .clientWebhooks(List.of(new ClientWebhook(
                                "msg_job_ui6darskwfev2ad6xyivjbhggy",
                                "job.succeeded",
                                "waiting",
                                at("2026-12-04T17:36:19.652027300Z"),
                                List.of(
                                        new ClientWebhook.Attempt(at("2026-12-03T16:30:52.607019423Z"), 500, null),
                                        new ClientWebhook.Attempt(at("2026-12-04T17:30:52.681027300Z"), 500, null)),
                                0)))
                        .build());
    }

    @Test
    void aVersion3JobKeepsWhenItStartedAndWhenItEnded() {
        assertThat(JOBS.read(bytes("job-v3-api.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(Job.builder()
                        .id(JobId.of("job_q7vd2m4xk3hw5bnyc6tzrj2ela"))
                        .status(JobStatus.SUCCEEDED)
                        .operation(Operation.HEAD_SHOT)
                        .provider("modelslab")
                        .params(Map.of("prompt", "studio portrait"))
                        .metadata(Map.of("user", "42"))
                        .webhookTokenHash("0b6f4c2d8e1a9f7b3c5d0e2f4a6b8c1d3e5f7a9b0c2d4e6f8a1b3c5d7e9f0a2b")
                        .input(photo("job_q7vd2m4xk3hw5bnyc6tzrj2ela"))
                        .outputs(List.of(new StoredObject(
                                "outputs/job_q7vd2m4xk3hw5bnyc6tzrj2ela/1.png", "image/png", 398211, 512, 512)))
                        .createdAt(at("2026-12-04T10:02:11.125417Z"))
                        .updatedAt(at("2026-12-04T10:02:19.874301Z"))
                        .expiresAt(at("2026-12-05T10:02:11.125417Z"))
                        .dispatch(new Dispatch(
                                0, null, null, null, "17", at("2026-12-04T10:02:14.532118Z"), null, null, 0, 0, null))
                        .tenant("acme")
                        .startedAt(at("2026-12-04T10:02:14.532118Z"))
                        .completedAt(at("2026-12-04T10:02:19.874301Z"))
                        .build());
    }

    @Test
    void aVersion2JobHasNeitherStartNorEnd() {
        Job job = JOBS.read(bytes("job-succeeded-after-fall-back.json"), "k");

        assertThat(job.startedAt()).isNull();
        assertThat(job.completedAt()).isNull();
    }

    @Test
    void aJobRecordFromBeforeVersionsReads() {
        assertThat(tree(bytes("job-pre-version.json")).has(StoredFormat.VERSION_FIELD))
                .isFalse();

        assertThat(JOBS.read(bytes("job-pre-version.json"), "k"))
                .usingRecursiveComparison()
                .isEqualTo(Job.builder()
                        .id(JobId.of("job_5uayohayxvdxzjaaznp3snymga"))
                        .status(JobStatus.FAILED)
                        .operation(Operation.HEAD_SHOT)
                        .provider("modelslab-enterprise")
                        .params(Map.of("prompt", "portrait"))
                        .metadata(Map.of())
                        .webhookTokenHash("7d6447abdf417de4682c00ae79bfbce10f1cc27c1103a001aed333b87f6ebf50")
                        .input(photo("job_5uayohayxvdxzjaaznp3snymga"))
                        .outputs(List.of())
                        .error(new JobError(
                                "provider_timeout", "the modelslab-enterprise provider did not finish in time", null))
                        .createdAt(at("2026-12-03T16:29:59.679883026Z"))
                        .updatedAt(at("2026-12-03T16:30:08.138653030Z"))
                        .expiresAt(at("2026-12-04T16:29:59.679883026Z"))
                        .dispatch(new Dispatch(
                                0,
                                null,
                                null,
                                0,
                                "81001",
                                at("2026-12-03T16:29:59.880855641Z"),
                                at("2026-12-03T16:30:59.880855641Z"),
                                at("2026-12-03T16:30:11.783140729Z"),
                                4,
                                0,
                                null))
                        .build());
    }

    @Test
    void idempotencyRecordsInFlightAndDone() {
        String fingerprint = "9c0cface8d7d49a06741e37c304a56af71be4d4974db3b803b5cb9bea27aa441";
        JobId job = JobId.of("job_44lg356p6fefoiyvhx7ksncthc");
        Instant claimed = at("2026-12-03T16:28:39.820225104Z");

        assertThat(IDEMPOTENCY.read(bytes("idempotency-in-flight.json"), "k"))
                .isEqualTo(new IdempotencyRecord(
                        fingerprint, job, IdempotencyRecord.State.IN_FLIGHT, claimed, claimed, null, null));
        assertThat(IDEMPOTENCY.read(bytes("idempotency-done.json"), "k"))
                .isEqualTo(new IdempotencyRecord(
                        fingerprint,
                        job,
                        IdempotencyRecord.State.DONE,
                        claimed,
                        claimed,
                        202,
                        "{\"id\":\"job_44lg356p6fefoiyvhx7ksncthc\",\"status\":\"processing\","
                                + "\"operation\":\"face_to_model\",\"provider\":\"fashn\","
                                + "\"created_at\":\"2026-12-03T16:28:39.869254423Z\","
                                + "\"links\":{\"self\":\"/v1/jobs/job_44lg356p6fefoiyvhx7ksncthc\"}}"));
    }

    @Test
    void slotsHeldAndFree() {
        assertThat(SLOTS.read(bytes("slot-held.json"), "k")).isEqualTo(JobId.of("job_44lg356p6fefoiyvhx7ksncthc"));
        assertThat(SLOTS.read(bytes("slot-free.json"), "k")).isNull();
    }

    @Test
    void quotaSlotsHeldAndFreeAndADaysCount() {
        StoredQuotaSlot held = QUOTA_SLOTS.read(bytes("quota-slot-held.json"), "k");
        assertThat(held.holder()).isEqualTo(JobId.of("job_44lg356p6fefoiyvhx7ksncthc"));
        assertThat(held.since()).isEqualTo(Instant.parse("2026-12-03T10:00:00.125Z"));
        assertThat(QUOTA_SLOTS.read(bytes("quota-slot-free.json"), "k").holder())
                .isNull();
        assertThat(QUOTA_DAYS.read(bytes("quota-day.json"), "k").jobs()).isEqualTo(7);
    }

    // ---- what the fixtures and the stored types must keep covering

    @Test
    void everyStoredFieldIsPinnedByAFixture() {
        Set<String> pinned = new TreeSet<>();
        for (String fixture : fixtures()) {
            paths(kindOf(fixture).format().type().getSimpleName(), tree(bytes(fixture)), pinned);
        }
        Set<String> stored = new TreeSet<>();
        for (Kind<?, ?> kind : List.of(JOBS, IDEMPOTENCY, SLOTS, QUOTA_SLOTS, QUOTA_DAYS)) {
            paths(kind.format().type().getSimpleName(), kind.format().type(), stored);
        }

        assertThat(stored).hasSizeGreaterThan(50);
        assertThat(pinned).as("stored fields that no golden fixture holds").containsAll(stored);
    }

    /**
     * Each domain record's fields have their counterpart in its stored type, under the same Java name (the JSON
     * name is the stored type's own): a field added to the domain fails here until it is stored, instead of being
     * silently left out of every write.
     */
    @Test
    void everyFieldOfTheDomainRecordsHasAStoredCounterpart() {
        Map<Class<?>, Class<?>> counterparts = Map.of(
                Job.class, StoredJob.class,
                StoredObject.class, StoredJob.ObjectDoc.class,
                UploadSlot.class, StoredJob.UploadDoc.class,
                JobError.class, StoredJob.ErrorDoc.class,
                Dispatch.class, StoredJob.DispatchDoc.class,
                Dispatch.Answer.class, StoredJob.AnswerDoc.class,
                ClientWebhook.class, StoredJob.WebhookDoc.class,
                ClientWebhook.Attempt.class, StoredJob.AttemptDoc.class,
                Attempt.class, StoredJob.RunDoc.class,
                IdempotencyRecord.class, StoredIdempotencyRecord.class);

        counterparts.forEach((domain, stored) -> assertThat(names(stored))
                .as("%s's fields, stored as %s", domain.getSimpleName(), stored.getSimpleName())
                .containsExactlyElementsOf(names(domain)));
    }

    @Test
    void aStatusThisBuildDoesNotKnowIsRefused() {
        ObjectNode paused = (ObjectNode) tree(bytes("job-queued-claimed.json"));
        paused.put("status", "paused");

        assertThatThrownBy(() -> JOBS.read(Json.write(paused), "k"))
                .isInstanceOf(UnreadableRecord.class)
                .hasMessageContaining("'paused'");
    }

    @Test
    void aFieldNestedInsideTheRecordIsAlsoRefusedNotDropped() {
        ObjectNode widened = (ObjectNode) tree(bytes("job-succeeded.json"));
        ((ObjectNode) widened.at("/client_webhook/attempts/0")).put("duration_ms", 31);

        assertThatThrownBy(() -> JOBS.read(Json.write(widened), "jobs/job_vhj2zglznvv2fqd3yvjh4piffu.json"))
                .isInstanceOf(UnreadableRecord.class)
                .hasMessageContaining("jobs/job_vhj2zglznvv2fqd3yvjh4piffu.json")
                .hasMessageContaining("'duration_ms'");
    }

    @Test
    void aVersionThatIsNoWholeNumberIsRefused() {
        for (String version : List.of("\"1\"", "1.5", "0", "null")) {
            String json = "{\"schema_version\":" + version + ",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\"}";

            assertThatThrownBy(() -> SLOTS.read(json.getBytes(StandardCharsets.UTF_8), "k"))
                    .as(version)
                    .isInstanceOf(UnreadableRecord.class)
                    .hasMessageContaining("which is no version");
        }
    }

    // ---- helpers

    private static <D, T> JsonNode roundTrip(Kind<D, T> kind, String fixture) {
        return kind.write(kind.read(bytes(fixture), fixture));
    }

    /** The fashn job that {@code job-queued-claimed} and {@code job-processing-provider-job} hold, apart from its state. */
    private static Job.Builder fashnJob() {
        return Job.builder()
                .id(JobId.of("job_44lg356p6fefoiyvhx7ksncthc"))
                .operation(Operation.FACE_TO_MODEL)
                .provider("fashn")
                .params(Map.of("prompt", "standing"))
                .metadata(Map.of())
                .webhookTokenHash("c533b5dbfe89eb42c8e88cffaa7a7f1301f74e5545bee4dfaa1925d7387a3128")
                .input(photo("job_44lg356p6fefoiyvhx7ksncthc"))
                .outputs(List.of())
                .createdAt(at("2026-12-03T16:28:39.869254423Z"))
                .expiresAt(at("2026-12-04T16:28:39.869254423Z"))
                .tenant("acme");
    }

    /** The metahuman job that {@code job-processing-recorded-answer} and {@code job-succeeded} hold. */
    private static Job.Builder metahumanJob() {
        return Job.builder()
                .id(JobId.of("job_vhj2zglznvv2fqd3yvjh4piffu"))
                .operation(Operation.FACE_RECON)
                .provider("metahuman")
                .params(Map.of())
                .metadata(Map.of("plan", "pro", "user", "42"))
                .webhook("http://127.0.0.1:40083/hooks")
                .webhookTokenHash("ed43d6696ee825a0b2e105b11b576abbc88fffe412aae566f3da98c8d99c2273")
                .input(photo("job_vhj2zglznvv2fqd3yvjh4piffu"))
                .createdAt(at("2026-12-03T16:32:56.439144937Z"))
                .expiresAt(at("2026-12-04T16:32:56.439144937Z"))
                .tenant("acme");
    }

    /** The test photo (astronaut.jpg) as each captured job stored it. */
    private static StoredObject photo(String job) {
        return new StoredObject("inputs/" + job + "/face.jpg", "image/jpeg", 68052, 512, 512);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapAt(String fixture, String pointer) {
        JsonNode node = tree(bytes(fixture)).at(pointer);
        assertThat(node.isObject()).as("%s in %s", pointer, fixture).isTrue();
        return Json.MAPPER.convertValue(node, Map.class);
    }

    private static List<String> names(Class<?> record) {
        return Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getName)
                .filter(name -> !name.equals("schemaVersion"))
                .toList();
    }

    /** The JSON paths a stored type can write: its fields, and those of the stored types inside it. */
    private static void paths(String prefix, Type type, Set<String> into) {
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            paths(prefix + "[]", list.getActualTypeArguments()[0], into);
            return;
        }
        if (!(type instanceof Class<?> c) || !c.isRecord()) {
            return;
        }
        for (RecordComponent component : c.getRecordComponents()) {
            JsonProperty name = component.getAccessor().getAnnotation(JsonProperty.class);
            assertThat(name)
                    .as("the JSON name of %s.%s", c.getSimpleName(), component.getName())
                    .isNotNull();
            String path = prefix + "." + name.value();
            into.add(path);
            paths(path, component.getGenericType(), into);
        }
    }

    /** The JSON paths a document holds, array elements as {@code []}. */
    private static void paths(String prefix, JsonNode node, Set<String> into) {
        if (node.isArray()) {
            node.forEach(element -> paths(prefix + "[]", element, into));
            return;
        }
        node.fieldNames().forEachRemaining(field -> {
            String path = prefix + "." + field;
            into.add(path);
            paths(path, node.get(field), into);
        });
    }

    private static byte[] bytes(String fixture) {
        try (InputStream in = StoredFormatsTest.class.getResourceAsStream("golden/" + fixture)) {
            assertThat(in).as("golden/%s", fixture).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
