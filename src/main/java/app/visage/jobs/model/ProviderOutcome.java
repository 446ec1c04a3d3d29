package app.visage.jobs.model;

import app.visage.errors.ErrorCode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What a provider answered when a job was started or asked about. */
public sealed interface ProviderOutcome {

    /** The call failed on the provider's side: no answer, a fault (5xx, refused connection), or its own error. */
    default boolean providerFault() {
        return this instanceof Transient
                || this instanceof Unconfirmed
                || this instanceof Failed f && f.code() == ErrorCode.PROVIDER_ERROR
                || this instanceof Refused r && r.code() == ErrorCode.PROVIDER_ERROR;
    }

    /**
     * Done: outputs to copy into the bucket, and structured results (face reconstruction), if any; the
     * provider's id for the job when it gave one (so a download that fails can ask it again), and the seed
     * the generation used when the provider said (null: unknown).
     */
    record Finished(List<Output> outputs, Map<String, Object> result, String providerJobId, Long seed)
            implements ProviderOutcome {
        public Finished {
            outputs = List.copyOf(outputs);
        }

        /** A synchronous provider's answer: no id to ask again by, no seed. */
        public Finished(List<Output> outputs, Map<String, Object> result) {
            this(outputs, result, null, null);
        }
    }

    /**
     * The provider has the job under {@code providerJobId} and expects to be done after {@code eta} (null:
     * unknown); {@code seed} is the seed it was sent or said it uses (null: unknown).
     */
    record Pending(String providerJobId, Duration eta, Long seed) implements ProviderOutcome {
        public Pending(String providerJobId, Duration eta) {
            this(providerJobId, eta, null);
        }
    }

    /**
     * The provider ended this run with a failure its documents say to run again (and do not charge for):
     * the job may be started once more, as a new run with a new provider job id.
     */
    record Rerun(String message, String providerCode) implements ProviderOutcome {}

    /** The provider refused or failed the job for good: {@code providerCode} is its own name for why. */
    record Failed(ErrorCode code, String message, String providerCode) implements ProviderOutcome {}

    /**
     * The provider refused a start before taking the job (its key, its credits, its checks): nothing was
     * charged, so the next provider the request listed may be tried; with none left, the job fails as for
     * {@link Failed}.
     */
    record Refused(ErrorCode code, String message, String providerCode) implements ProviderOutcome {}

    /** The provider is at its limit (429) and took nothing: try again after {@code retryAfter}. */
    record Busy(Duration retryAfter, String providerCode) implements ProviderOutcome {}

    /** A fault that took nothing (5xx, connection refused): worth a bounded number of retries. */
    record Transient(String message, String providerCode) implements ProviderOutcome {}

    /**
     * The request was sent but no answer came: the provider may have taken (and charged for) the
     * job, so it is never sent again; its webhook can still finish it before the deadline.
     */
    record Unconfirmed(String message) implements ProviderOutcome {}

    /** One output, either its bytes or where the provider serves it. */
    sealed interface Output {}

    record Bytes(byte[] bytes) implements Output {}

    record Link(URI url) implements Output {}
}
