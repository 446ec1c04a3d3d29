package app.visage.jobs.port;

import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.usecase.SubmitJob;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Port: a service (or the built-in engine) that turns a photo into outputs. One adapter each. */
public interface Provider {

    /** The id used in requests: {@code local}, {@code modelslab}, … */
    String id();

    /** The operations it performs, each with the parameters it takes. */
    Map<Operation, Set<Param>> operations();

    /** Why new jobs can't go to it (a missing key, naming the setting), or empty when they can. */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** Checks rules that span parameters or that only this provider has (required, narrower limits). */
    default void check(Operation operation, Params params) {}

    /**
     * The media types of the photos it takes ({@code image/jpeg}…), empty for every one Visage accepts; a photo
     * of another is refused at submit (415), before anything is stored.
     */
    default Set<String> photoTypes() {
        return Set.of();
    }

    /**
     * Whether a job may start inside the request that accepted it, on the worker's own code path: only the
     * built-in engine where this build has it (it answers in well under a second and costs nothing). Every
     * other start is a step of the worker, so no request waits on a provider (see {@link SubmitJob}).
     */
    default boolean startsInline() {
        return false;
    }

    /** Jobs it may have at once (its queue limit); 0 means no limit. */
    default int maxInFlight() {
        return 0;
    }

    /**
     * Whether a start that was interrupted (the process died mid-call) may simply be run again:
     * true only where a second run costs nothing.
     */
    default boolean restartable() {
        return false;
    }

    /**
     * Origins (scheme, host, port) its output URLs may point to besides public addresses: its own configured
     * host, and any other it is configured to serve outputs from.
     */
    default List<URI> origins() {
        return List.of();
    }

    /** Starts the job: {@link ProviderOutcome.Finished} when synchronous, {@link ProviderOutcome.Pending} when not. */
    ProviderOutcome start(ProviderCall call);

    /** Asks how a started job is doing: the only source of truth, whatever a webhook claimed. */
    default ProviderOutcome fetch(String providerJobId) {
        throw new UnsupportedOperationException(id() + " finishes jobs synchronously");
    }

    /** The provider's job id named in a webhook body, for a webhook that beat the submit call's answer. */
    default Optional<String> webhookJobId(byte[] body) {
        return Optional.empty();
    }

    /**
     * One start call. {@code photoUrl} is a presigned GET of the stored photo, for providers that fetch
     * it themselves; {@code photoWidth}×{@code photoHeight} its size as stored. {@code webhookUrl} carries the
     * job's one-time token, or is null when the provider could not reach it (no public base URL): the adapter
     * then sends no webhook and Visage polls. The photo's bytes are read from the bucket only if the provider
     * asks for them.
     */
    record ProviderCall(
            JobId jobId,
            Operation operation,
            Params params,
            Supplier<Photo> photoSource,
            URI photoUrl,
            int photoWidth,
            int photoHeight,
            URI webhookUrl) {

        public Photo photo() {
            return photoSource.get();
        }
    }
}
