package app.visage.storage;

import static app.visage.storage.StoredFormat.VERSION_FIELD;

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
import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code jobs/{id}.json}: a {@link Job} as stored. Its JSON names are spelled out here rather than derived from
 * Java names, so that renaming a component (here or in the domain) cannot rename a stored field; the golden
 * fixtures under {@code src/test/resources/app/visage/storage/golden/} pin each shape.
 */
@RegisterForReflection
public record StoredJob(
        @JsonProperty(VERSION_FIELD) int schemaVersion,
        @JsonProperty("id") String id,
        @JsonProperty("status") String status,
        @JsonProperty("operation") String operation,
        @JsonProperty("provider") String provider,
        @JsonProperty("params") Map<String, Object> params,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("webhook") String webhook,
        @JsonProperty("webhook_token_hash") String webhookTokenHash,
        @JsonProperty("input") ObjectDoc input,
        @JsonProperty("upload") UploadDoc upload,
        @JsonProperty("outputs") List<ObjectDoc> outputs,
        @JsonProperty("result") Map<String, Object> result,
        @JsonProperty("error") ErrorDoc error,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("dispatch") DispatchDoc dispatch,

        @JsonProperty("client_webhooks")
        @JsonAlias("client_webhook")
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<WebhookDoc> clientWebhooks,

        @JsonProperty("tenant") String tenant,
        @JsonProperty("seed") Long seed,
        @JsonProperty("attempts") List<RunDoc> attempts,
        @JsonProperty("fallbacks") List<String> fallbacks,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("completed_at") Instant completedAt,
        @JsonProperty("webhook_events_filter") List<String> webhookEvents) {

    /**
     * Version 2 added {@code seed}, {@code attempts} and {@code fallbacks} (absent when null or empty). Version 3
     * added {@code started_at} and {@code completed_at} (absent until the job went processing, or ended),
     * {@code webhook_events_filter} (absent: {@code ["completed"]}), {@code client_webhooks} (every event's
     * delivery, oldest first, absent when none; versions 1 and 2 had at most one, {@code client_webhook}) and each
     * one's {@code round_start} (absent: 0).
     */
    public static final StoredFormat<StoredJob> FORMAT = new StoredFormat<>(StoredJob.class, 3);

    public static StoredJob of(Job job) {
        return new StoredJob(
                FORMAT.version(),
                job.id().value(),
                storedStatus(job.status()),
                storedOperation(job.operation()),
                job.provider(),
                job.params(),
                job.metadata(),
                job.webhook(),
                job.webhookTokenHash(),
                ObjectDoc.of(job.input()),
                UploadDoc.of(job.upload()),
                job.outputs().stream().map(ObjectDoc::of).toList(),
                job.result(),
                ErrorDoc.of(job.error()),
                job.createdAt(),
                job.updatedAt(),
                job.expiresAt(),
                DispatchDoc.of(job.dispatch()),
                job.clientWebhooks().isEmpty()
                        ? null
                        : job.clientWebhooks().stream().map(WebhookDoc::of).toList(),
                job.tenant(),
                job.seed(),
                job.attempts().isEmpty()
                        ? null
                        : job.attempts().stream().map(RunDoc::of).toList(),
                job.fallbacks().isEmpty() ? null : job.fallbacks(),
                job.startedAt(),
                job.completedAt(),
                job.webhookEvents().equals(WebhookEvent.DEFAULT)
                        ? null
                        : job.webhookEvents().stream().map(WebhookEvent::wire).toList());
    }

    public Job toDomain() {
        return Job.builder()
                .id(JobId.of(id))
                .status(domainStatus(status))
                .operation(domainOperation(operation))
                .provider(provider)
                .params(params)
                .metadata(metadata)
                .webhook(webhook)
                .webhookTokenHash(webhookTokenHash)
                .input(input == null ? null : input.toDomain())
                .upload(upload == null ? null : upload.toDomain())
                .outputs(
                        outputs == null
                                ? null
                                : outputs.stream().map(ObjectDoc::toDomain).toList())
                .result(result)
                .error(error == null ? null : error.toDomain())
                .createdAt(createdAt)
                .updatedAt(updatedAt)
                .expiresAt(expiresAt)
                .dispatch(dispatch == null ? null : dispatch.toDomain())
                .clientWebhooks(domainWebhooks())
                .tenant(tenant)
                .seed(seed)
                .attempts(
                        attempts == null
                                ? null
                                : attempts.stream().map(RunDoc::toDomain).toList())
                .fallbacks(fallbacks)
                .startedAt(startedAt)
                .completedAt(completedAt)
                .webhookEvents(domainWebhookEvents())
                .build();
    }

    private List<ClientWebhook> domainWebhooks() {
        if (clientWebhooks != null) {
            return clientWebhooks.stream().map(WebhookDoc::toDomain).toList();
        }
        if (schemaVersion < 3 && webhook != null && domainStatus(status).isTerminal()) {
            // Builds before version 3 queued nothing: the end of a job they ended was due from its last write.
            return List.of(new ClientWebhook("msg_" + id, "job." + status, "waiting", updatedAt, null, 0));
        }
        return null;
    }

    private Set<WebhookEvent> domainWebhookEvents() {
        if (webhookEvents == null) {
            return null;
        }
        Set<WebhookEvent> events = new HashSet<>();
        for (String event : webhookEvents) {
            events.add(WebhookEvent.fromWire(event)
                    .orElseThrow(() -> new UnreadableRecord(
                            "a stored job asks for the webhook event '" + event + "', which this build does not know",
                            null)));
        }
        return events;
    }

    /** An earlier run of the job at a provider, as each of {@code attempts}. */
    @RegisterForReflection
    public record RunDoc(
            @JsonProperty("provider") String provider,
            @JsonProperty("provider_job_id") String providerJobId,
            @JsonProperty("outcome") String outcome,
            @JsonProperty("provider_code") String providerCode,
            @JsonProperty("message") String message,
            @JsonProperty("ended_at") Instant endedAt) {

        static RunDoc of(Attempt attempt) {
            return new RunDoc(
                    attempt.provider(),
                    attempt.providerJobId(),
                    attempt.outcome(),
                    attempt.providerCode(),
                    attempt.message(),
                    attempt.endedAt());
        }

        Attempt toDomain() {
            return new Attempt(provider, providerJobId, outcome, providerCode, message, endedAt);
        }
    }

    /** An input photo or an output, as {@code input} and each of {@code outputs}. */
    @RegisterForReflection
    public record ObjectDoc(
            @JsonProperty("key") String key,
            @JsonProperty("content_type") String contentType,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("width") Integer width,
            @JsonProperty("height") Integer height) {

        static ObjectDoc of(StoredObject object) {
            return object == null
                    ? null
                    : new ObjectDoc(
                            object.key(), object.contentType(), object.bytes(), object.width(), object.height());
        }

        StoredObject toDomain() {
            return new StoredObject(key, contentType, bytes, width, height);
        }
    }

    /** Where a presigned upload is awaited, as {@code upload}. */
    @RegisterForReflection
    public record UploadDoc(
            @JsonProperty("key") String key,
            @JsonProperty("content_type") String contentType,
            @JsonProperty("expires_at") Instant expiresAt) {

        static UploadDoc of(UploadSlot upload) {
            return upload == null ? null : new UploadDoc(upload.key(), upload.contentType(), upload.expiresAt());
        }

        UploadSlot toDomain() {
            return new UploadSlot(key, contentType, expiresAt);
        }
    }

    /** Why the job failed, as {@code error}. */
    @RegisterForReflection
    public record ErrorDoc(
            @JsonProperty("code") String code,
            @JsonProperty("message") String message,
            @JsonProperty("provider_code") String providerCode) {

        static ErrorDoc of(JobError error) {
            return error == null ? null : new ErrorDoc(error.code(), error.message(), error.providerCode());
        }

        JobError toDomain() {
            return new JobError(code, message, providerCode);
        }
    }

    /** Where the job stands with its provider, as {@code dispatch}. */
    @RegisterForReflection
    public record DispatchDoc(
            @JsonProperty("start_failures") int startFailures,
            @JsonProperty("claimed_until") Instant claimedUntil,
            @JsonProperty("retry_at") Instant retryAt,
            @JsonProperty("slot") Integer slot,
            @JsonProperty("provider_job_id") String providerJobId,
            @JsonProperty("accepted_at") Instant acceptedAt,
            @JsonProperty("eta") Instant eta,
            @JsonProperty("next_poll_at") Instant nextPollAt,
            @JsonProperty("polls") int polls,
            @JsonProperty("fetch_failures") int fetchFailures,
            @JsonProperty("answer") AnswerDoc answer) {

        static DispatchDoc of(Dispatch dispatch) {
            return new DispatchDoc(
                    dispatch.startFailures(),
                    dispatch.claimedUntil(),
                    dispatch.retryAt(),
                    dispatch.slot(),
                    dispatch.providerJobId(),
                    dispatch.acceptedAt(),
                    dispatch.eta(),
                    dispatch.nextPollAt(),
                    dispatch.polls(),
                    dispatch.fetchFailures(),
                    AnswerDoc.of(dispatch.answer()));
        }

        Dispatch toDomain() {
            return new Dispatch(
                    startFailures,
                    claimedUntil,
                    retryAt,
                    slot,
                    providerJobId,
                    acceptedAt,
                    eta,
                    nextPollAt,
                    polls,
                    fetchFailures,
                    answer == null ? null : answer.toDomain());
        }
    }

    /** A synchronous provider's answer, kept until the outputs are copied, as {@code dispatch.answer}. */
    @RegisterForReflection
    public record AnswerDoc(
            @JsonProperty("outputs") List<String> outputs,
            @JsonProperty("result") Map<String, Object> result) {

        static AnswerDoc of(Dispatch.Answer answer) {
            return answer == null
                    ? null
                    : new AnswerDoc(answer.outputs().stream().map(URI::toString).toList(), answer.result());
        }

        Dispatch.Answer toDomain() {
            return new Dispatch.Answer(
                    outputs == null ? null : outputs.stream().map(URI::create).toList(), result);
        }
    }

    /** The delivery of one event to the client, as each of {@code client_webhooks}. */
    @RegisterForReflection
    public record WebhookDoc(
            @JsonProperty("message_id") String messageId,
            @JsonProperty("type") String type,
            @JsonProperty("state") String state,
            @JsonProperty("next_attempt_at") Instant nextAttemptAt,
            @JsonProperty("attempts") List<AttemptDoc> attempts,
            @JsonProperty("round_start") Integer roundStart) {

        static WebhookDoc of(ClientWebhook webhook) {
            return new WebhookDoc(
                    webhook.messageId(),
                    webhook.type(),
                    webhook.state(),
                    webhook.nextAttemptAt(),
                    webhook.attempts().stream().map(AttemptDoc::of).toList(),
                    webhook.roundStart() == 0 ? null : webhook.roundStart());
        }

        ClientWebhook toDomain() {
            return new ClientWebhook(
                    messageId,
                    type,
                    state,
                    nextAttemptAt,
                    attempts == null
                            ? null
                            : attempts.stream().map(AttemptDoc::toDomain).toList(),
                    roundStart == null ? 0 : roundStart);
        }
    }

    /** One delivery attempt, as each of {@code client_webhook.attempts}. */
    @RegisterForReflection
    public record AttemptDoc(
            @JsonProperty("at") Instant at,
            @JsonProperty("status") Integer status,
            @JsonProperty("error") String error) {

        static AttemptDoc of(ClientWebhook.Attempt attempt) {
            return new AttemptDoc(attempt.at(), attempt.status(), attempt.error());
        }

        ClientWebhook.Attempt toDomain() {
            return new ClientWebhook.Attempt(at, status, error);
        }
    }

    /** Stored names, independent of the domain's: the build fails here when a status is added. */
    private static String storedStatus(JobStatus status) {
        return switch (status) {
            case QUEUED -> "queued";
            case PROCESSING -> "processing";
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case CANCELED -> "canceled";
            case EXPIRED -> "expired";
        };
    }

    private static JobStatus domainStatus(String stored) {
        for (JobStatus status : JobStatus.values()) {
            if (storedStatus(status).equals(stored)) {
                return status;
            }
        }
        throw new UnreadableRecord(
                "a stored job has the status '" + stored + "', which this build does not know", null);
    }

    private static String storedOperation(Operation operation) {
        return switch (operation) {
            case HEAD_SHOT -> "head_shot";
            case FACE_GEN -> "face_gen";
            case FACE_TO_MODEL -> "face_to_model";
            case FACE_RECON -> "face_recon";
        };
    }

    private static Operation domainOperation(String stored) {
        for (Operation operation : Operation.values()) {
            if (storedOperation(operation).equals(stored)) {
                return operation;
            }
        }
        throw new UnreadableRecord(
                "a stored job has the operation '" + stored + "', which this build does not know", null);
    }
}
