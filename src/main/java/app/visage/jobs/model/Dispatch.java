package app.visage.jobs.model;

import app.visage.jobs.usecase.ProviderSlots;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * @param answer        what a provider that keeps no job to ask about again answered, until the job has its outputs
 */
@RegisterForReflection
public record Dispatch(
        int startFailures,
        Instant claimedUntil,
        Instant retryAt,
        Integer slot,
        String providerJobId,
        Instant acceptedAt,
        Instant eta,
        Instant nextPollAt,
        int polls,
        int fetchFailures,
        Answer answer) {

    private static final Duration MAX_BACK_OFF = Duration.ofMinutes(1);

    public static final Dispatch NONE = new Dispatch(0, null, null, null, null, null, null, null, 0, 0, null);

    /**
     * A synchronous provider's answer (output URLs and result), recorded before its outputs are copied: the
     * provider can't be asked again, so if the process dies before the job ends, the sweep finishes it from
     * this. Outputs given as bytes are not recorded: only the local engine gives them, and it is restartable.
     */
    @RegisterForReflection
    public record Answer(List<URI> outputs, Map<String, Object> result) {

        /** The answer to record, when every output is a link. */
        public static Optional<Answer> of(ProviderOutcome.Finished finished) {
            List<URI> links = new ArrayList<>();
            for (ProviderOutcome.Output output : finished.outputs()) {
                if (!(output instanceof ProviderOutcome.Link link)) {
                    return Optional.empty();
                }
                links.add(link.url());
            }
            return Optional.of(new Answer(links, finished.result()));
        }

        public ProviderOutcome.Finished outcome() {
            return new ProviderOutcome.Finished(
                    outputs.stream()
                            .<ProviderOutcome.Output>map(ProviderOutcome.Link::new)
                            .toList(),
                    result);
        }
    }

    public boolean claimed() {
        return claimedUntil != null;
    }

    public boolean due(Instant now) {
        return retryAt == null || !now.isBefore(retryAt);
    }

    public Dispatch claim(Instant until) {
        return new Dispatch(
                startFailures,
                until,
                null,
                null,
                providerJobId,
                acceptedAt,
                eta,
                nextPollAt,
                polls,
                fetchFailures,
                answer);
    }

    /** Back to waiting, without a slot: nothing reached the provider. */
    public Dispatch waitUntil(Instant when, boolean countFailure) {
        return new Dispatch(
                countFailure ? startFailures + 1 : startFailures,
                null,
                when,
                null,
                providerJobId,
                acceptedAt,
                eta,
                nextPollAt,
                polls,
                fetchFailures,
                answer);
    }

    public Dispatch accepted(String id, Integer heldSlot, Instant now, Instant expectedAt, Instant firstPoll) {
        return new Dispatch(
                startFailures,
                null,
                null,
                heldSlot,
                id,
                acceptedAt != null ? acceptedAt : now,
                expectedAt,
                firstPoll,
                polls,
                fetchFailures,
                answer);
    }

    /** With {@code given} recorded (null: forgotten, once the job has its outputs or has expired). */
    public Dispatch answered(Answer given) {
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
                given);
    }

    /** One more poll is claimed, and the one after it scheduled. */
    public Dispatch polled(Instant next) {
        return new Dispatch(
                startFailures,
                claimedUntil,
                retryAt,
                slot,
                providerJobId,
                acceptedAt,
                eta,
                next,
                polls + 1,
                fetchFailures,
                answer);
    }

    public Dispatch fetchFailed(Instant next) {
        return new Dispatch(
                startFailures,
                claimedUntil,
                retryAt,
                slot,
                providerJobId,
                acceptedAt,
                eta,
                next,
                polls,
                fetchFailures + 1,
                answer);
    }

    public Dispatch stillRunning(Instant expectedAt, Instant next) {
        return new Dispatch(
                startFailures,
                claimedUntil,
                retryAt,
                slot,
                providerJobId,
                acceptedAt,
                expectedAt,
                next,
                polls,
                0,
                answer);
    }

    /** Back-off: {@code base}, doubling with each attempt, at most a minute (5 s, 10 s, 20 s, 40 s, 60 s…). */
    public static Duration backOff(Duration base, int attempts) {
        Duration delay = base.multipliedBy(1L << Math.min(attempts, 4));
        return delay.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : delay;
    }
}
