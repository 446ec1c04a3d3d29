package app.visage.jobs.model;

import app.visage.jobs.usecase.JobRecords;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job record stored at {@code jobs/{id}.json}. Immutable: every change is a new record
 * written with a compare-and-swap, through {@link JobRecords}.
 */
@RegisterForReflection
public record Job(
        JobId id,
        JobStatus status,
        Operation operation,
        String provider,
        Map<String, Object> params,
        Map<String, String> metadata,
        String webhook,
        String webhookTokenHash,
        StoredObject input,
        UploadSlot upload,
        List<StoredObject> outputs,
        Map<String, Object> result,
        JobError error,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Dispatch dispatch,
        List<ClientWebhook> clientWebhooks,
        String tenant,
        Long seed,
        List<Attempt> attempts,
        List<String> fallbacks,
        Instant startedAt,
        Instant completedAt,
        Set<WebhookEvent> webhookEvents) {

    public Job {
        params = params == null ? Map.of() : Map.copyOf(params);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        dispatch = dispatch == null ? Dispatch.NONE : dispatch;
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        clientWebhooks = clientWebhooks == null ? List.of() : List.copyOf(clientWebhooks);
        webhookEvents = webhookEvents == null || webhookEvents.isEmpty()
                ? WebhookEvent.DEFAULT
                : Collections.unmodifiableSet(EnumSet.copyOf(webhookEvents));
    }

    /** Every client webhook attempt kept, oldest first, with the event each carried: what the view lists. */
    public List<ClientWebhook.Sent> webhookAttempts() {
        return clientWebhooks.stream()
                .flatMap(w -> w.attempts().stream().map(a -> new ClientWebhook.Sent(w.type(), w.messageId(), a)))
                .sorted(Comparator.comparing(s -> s.attempt().at()))
                .toList();
    }

    /** How many times its current provider was asked to run it again. */
    public int reruns() {
        return (int) attempts.stream()
                .filter(a ->
                        a.outcome().equals(Attempt.RUN_AGAIN) && a.provider().equals(provider))
                .count();
    }

    /** A new job, waiting for its provider (with {@code input}) or for its upload (with {@code upload}). */
    public static Job queued(
            JobId id,
            Tenant tenant,
            Operation operation,
            String provider,
            Params params,
            Map<String, String> metadata,
            URI webhook,
            StoredObject input,
            UploadSlot upload,
            Instant now,
            Duration ttl) {
        return builder()
                .id(id)
                .status(JobStatus.QUEUED)
                .operation(operation)
                .provider(provider)
                .params(params.toStored())
                .metadata(metadata)
                .webhook(webhook == null ? null : webhook.toString())
                .input(input)
                .upload(upload)
                .createdAt(now)
                .updatedAt(now)
                .expiresAt(now.plus(ttl))
                .tenant(tenant.id())
                .build();
    }

    /** The same job in {@code next} state; callers check the move with {@link JobStatus#canMoveTo}. */
    public Job moveTo(JobStatus next, Instant now) {
        return toBuilder()
                .status(next)
                .updatedAt(now)
                .completedAt(ended(next, now))
                .build();
    }

    /** When the job ended: set once, by the move to a terminal state (expiry keeps it). */
    private Instant ended(JobStatus next, Instant now) {
        return completedAt == null && next.isTerminal() ? now : completedAt;
    }

    /** Still queued, but being started: only the claimer calls the provider, with a fresh webhook token. */
    public Job claimed(String tokenHash, Dispatch claim, Instant now) {
        return toBuilder()
                .webhookTokenHash(tokenHash)
                .dispatch(claim)
                .updatedAt(now)
                .build();
    }

    public Job withDispatch(Dispatch next, Instant now) {
        return toBuilder().dispatch(next).updatedAt(now).build();
    }

    /** The provider has the job (or may have it): processing. */
    public Job accepted(Dispatch next, Instant now) {
        return toBuilder()
                .status(JobStatus.PROCESSING)
                .dispatch(next)
                .updatedAt(now)
                .startedAt(startedAt != null ? startedAt : now)
                .build();
    }

    public Job withClientWebhooks(List<ClientWebhook> next, Instant now) {
        return toBuilder().clientWebhooks(next).updatedAt(now).build();
    }

    public Job withSeed(Long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    /**
     * Queued again, from scratch at {@code nextProvider} (the same one for a rerun), after {@code ended}: not
     * claimed, nothing at any provider, started once {@code startAt} has come.
     */
    public Job startedOver(
            String nextProvider, List<String> nextFallbacks, Attempt ended, Instant startAt, Instant now) {
        List<Attempt> all = new ArrayList<>(attempts);
        all.add(ended);
        return toBuilder()
                .status(JobStatus.QUEUED)
                .provider(nextProvider)
                .fallbacks(nextFallbacks)
                .attempts(all)
                .dispatch(Dispatch.NONE.waitUntil(startAt, false))
                .updatedAt(now)
                .build();
    }

    public Job withInput(StoredObject newInput) {
        return toBuilder().input(newInput).build();
    }

    public Job succeeded(List<StoredObject> newOutputs, Map<String, Object> newResult, Instant now) {
        return toBuilder()
                .status(JobStatus.SUCCEEDED)
                .outputs(newOutputs)
                .result(newResult)
                .error(null)
                .updatedAt(now)
                .completedAt(ended(JobStatus.SUCCEEDED, now))
                .build();
    }

    public Job failed(JobError newError, Instant now) {
        return toBuilder()
                .status(JobStatus.FAILED)
                .error(newError)
                .updatedAt(now)
                .completedAt(ended(JobStatus.FAILED, now))
                .build();
    }

    /**
     * Objects are gone, and so is what was measured of the face; the record stays so the job's view
     * can say what happened.
     */
    public Job expired(Instant now) {
        return toBuilder()
                .status(JobStatus.EXPIRED)
                .input(null)
                .upload(null)
                .outputs(List.of())
                .result(null)
                .updatedAt(now)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values: a change names the fields it changes, never their positions. */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .status(status)
                .operation(operation)
                .provider(provider)
                .params(params)
                .metadata(metadata)
                .webhook(webhook)
                .webhookTokenHash(webhookTokenHash)
                .input(input)
                .upload(upload)
                .outputs(outputs)
                .result(result)
                .error(error)
                .createdAt(createdAt)
                .updatedAt(updatedAt)
                .expiresAt(expiresAt)
                .dispatch(dispatch)
                .clientWebhooks(clientWebhooks)
                .tenant(tenant)
                .seed(seed)
                .attempts(attempts)
                .fallbacks(fallbacks)
                .startedAt(startedAt)
                .completedAt(completedAt)
                .webhookEvents(webhookEvents);
    }

    /** Builds a {@link Job}; a field left unset is null (empty for the collections, {@link Dispatch#NONE}). */
    public static final class Builder {
        private JobId id;
        private JobStatus status;
        private Operation operation;
        private String provider;
        private Map<String, Object> params;
        private Map<String, String> metadata;
        private String webhook;
        private String webhookTokenHash;
        private StoredObject input;
        private UploadSlot upload;
        private List<StoredObject> outputs;
        private Map<String, Object> result;
        private JobError error;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant expiresAt;
        private Dispatch dispatch;
        private List<ClientWebhook> clientWebhooks;
        private String tenant;
        private Long seed;
        private List<Attempt> attempts;
        private List<String> fallbacks;
        private Instant startedAt;
        private Instant completedAt;
        private Set<WebhookEvent> webhookEvents;

        private Builder() {}

        public Builder id(JobId value) {
            id = value;
            return this;
        }

        public Builder status(JobStatus value) {
            status = value;
            return this;
        }

        public Builder operation(Operation value) {
            operation = value;
            return this;
        }

        public Builder provider(String value) {
            provider = value;
            return this;
        }

        public Builder params(Map<String, Object> value) {
            params = value;
            return this;
        }

        public Builder metadata(Map<String, String> value) {
            metadata = value;
            return this;
        }

        public Builder webhook(String value) {
            webhook = value;
            return this;
        }

        public Builder webhookTokenHash(String value) {
            webhookTokenHash = value;
            return this;
        }

        public Builder input(StoredObject value) {
            input = value;
            return this;
        }

        public Builder upload(UploadSlot value) {
            upload = value;
            return this;
        }

        public Builder outputs(List<StoredObject> value) {
            outputs = value;
            return this;
        }

        public Builder result(Map<String, Object> value) {
            result = value;
            return this;
        }

        public Builder error(JobError value) {
            error = value;
            return this;
        }

        public Builder createdAt(Instant value) {
            createdAt = value;
            return this;
        }

        public Builder updatedAt(Instant value) {
            updatedAt = value;
            return this;
        }

        public Builder expiresAt(Instant value) {
            expiresAt = value;
            return this;
        }

        public Builder dispatch(Dispatch value) {
            dispatch = value;
            return this;
        }

        public Builder clientWebhooks(List<ClientWebhook> value) {
            clientWebhooks = value;
            return this;
        }

        public Builder tenant(String value) {
            tenant = value;
            return this;
        }

        public Builder seed(Long value) {
            seed = value;
            return this;
        }

        public Builder attempts(List<Attempt> value) {
            attempts = value;
            return this;
        }

        public Builder fallbacks(List<String> value) {
            fallbacks = value;
            return this;
        }

        public Builder startedAt(Instant value) {
            startedAt = value;
            return this;
        }

        public Builder completedAt(Instant value) {
            completedAt = value;
            return this;
        }

        public Builder webhookEvents(Set<WebhookEvent> value) {
            webhookEvents = value;
            return this;
        }

        public Job build() {
            return new Job(
                    id,
                    status,
                    operation,
                    provider,
                    params,
                    metadata,
                    webhook,
                    webhookTokenHash,
                    input,
                    upload,
                    outputs,
                    result,
                    error,
                    createdAt,
                    updatedAt,
                    expiresAt,
                    dispatch,
                    clientWebhooks,
                    tenant,
                    seed,
                    attempts,
                    fallbacks,
                    startedAt,
                    completedAt,
                    webhookEvents);
        }
    }
}
