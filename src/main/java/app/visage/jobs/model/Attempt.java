package app.visage.jobs.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A run of the job at a provider that ended without being its last: the provider said to run it again, or
 * refused it before taking it (so the next provider in the request's list got it), or was passed over
 * unconfigured. The job's current run is not one: its provider and provider job id are on the job.
 *
 * @param providerJobId the provider's id for that run (null: it gave none)
 * @param outcome       {@link #RUN_AGAIN}, {@link #REFUSED} or {@link #UNAVAILABLE}
 * @param providerCode  the provider's own name for why (null: none)
 */
@RegisterForReflection
public record Attempt(
        String provider, String providerJobId, String outcome, String providerCode, String message, Instant endedAt) {

    /** The provider ended the run with a failure its documents say to run again (and do not charge for). */
    public static final String RUN_AGAIN = "run_again";

    /** The provider refused the job before taking it: nothing was charged, the next provider was tried. */
    public static final String REFUSED = "refused";

    /** The provider was not configured (no key) when the job was submitted: the next one was chosen. */
    public static final String UNAVAILABLE = "unavailable";
}
