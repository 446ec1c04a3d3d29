package app.visage.jobs;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a job stands with its provider, kept on the job record so that any function (submit,
 * webhook, status, the sweep) can pick it up after another left off.
 *
 * @param startFailures start calls that failed without the provider taking the job (5xx, refused connections)
 * @param claimedUntil  a start call is in flight until then; nobody else starts the job meanwhile
 * @param retryAt       a queued job is not started before then (provider busy, back-off)
 * @param slot          the provider slot the job holds (see {@link ProviderSlots}), if any
 * @param providerJobId the provider's id for the job, once it has one
 * @param acceptedAt    when the provider took the job (or may have): the processing deadline runs from here
 * @param eta           when the provider expects to be done
 * @param nextPollAt    when to ask the provider next, if it has not called back
 * @param polls         how many times the provider was asked
 * @param fetchFailures consecutive polls (or output downloads) that failed
 */
@RegisterForReflection
public record Dispatch(int startFailures, Instant claimedUntil, Instant retryAt, Integer slot, String providerJobId,
        Instant acceptedAt, Instant eta, Instant nextPollAt, int polls, int fetchFailures) {

    private static final Duration MAX_BACK_OFF = Duration.ofMinutes(1);

    public static final Dispatch NONE = new Dispatch(0, null, null, null, null, null, null, null, 0, 0);

    public boolean claimed() {
        return claimedUntil != null;
    }

    public boolean due(Instant now) {
        return retryAt == null || !now.isBefore(retryAt);
    }

    public Dispatch claim(Instant until) {
        return new Dispatch(startFailures, until, null, null, providerJobId, acceptedAt, eta, nextPollAt, polls,
                fetchFailures);
    }

    /** Back to waiting, without a slot: nothing reached the provider. */
    public Dispatch waitUntil(Instant when, boolean countFailure) {
        return new Dispatch(countFailure ? startFailures + 1 : startFailures, null, when, null, providerJobId,
                acceptedAt, eta, nextPollAt, polls, fetchFailures);
    }

    public Dispatch accepted(String id, Integer heldSlot, Instant now, Instant expectedAt, Instant firstPoll) {
        return new Dispatch(startFailures, null, null, heldSlot, id, acceptedAt != null ? acceptedAt : now,
                expectedAt, firstPoll, polls, fetchFailures);
    }

    /** One more poll is claimed, and the one after it scheduled. */
    public Dispatch polled(Instant next) {
        return new Dispatch(startFailures, claimedUntil, retryAt, slot, providerJobId, acceptedAt, eta, next,
                polls + 1, fetchFailures);
    }

    public Dispatch fetchFailed(Instant next) {
        return new Dispatch(startFailures, claimedUntil, retryAt, slot, providerJobId, acceptedAt, eta, next, polls,
                fetchFailures + 1);
    }

    public Dispatch stillRunning(Instant expectedAt, Instant next) {
        return new Dispatch(startFailures, claimedUntil, retryAt, slot, providerJobId, acceptedAt, expectedAt, next,
                polls, 0);
    }

    /** Back-off: {@code base}, doubling with each attempt, at most a minute (5 s, 10 s, 20 s, 40 s, 60 s…). */
    public static Duration backOff(Duration base, int attempts) {
        Duration delay = base.multipliedBy(1L << Math.min(attempts, 4));
        return delay.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : delay;
    }
}
