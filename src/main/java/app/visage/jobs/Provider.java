package app.visage.jobs;

import java.util.Map;
import java.util.Set;

/** Port: a service (or the built-in engine) that turns a photo into outputs. One adapter each. */
public interface Provider {

    /** The id used in requests: {@code local}, {@code modelslab}, … */
    String id();

    /** The operations it performs, each with the parameters it takes. */
    Map<Operation, Set<Param>> operations();

    /** Checks rules that span parameters (one excludes another); the names and limits are already checked. */
    default void check(Operation operation, Params params) {
    }

    /**
     * Starts the job. Synchronous providers return {@link ProviderOutcome.Finished}; a failure the
     * user should see (no face, unreadable image) is thrown as a {@code VisageException}.
     */
    ProviderOutcome start(ProviderCall call);

    /** {@code webhookUrl} carries the job's one-time token; providers that call back get it. */
    record ProviderCall(JobId jobId, Operation operation, Params params, Photo photo, java.net.URI webhookUrl) {
    }
}
