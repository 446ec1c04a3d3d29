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
 * Where a job stands with its provider, kept on the job record so that any step (an inline start in submit
 * or upload, a worker's wake-up, confirmation or start of the next in line) can pick it up after another left
 * off.
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
     * provider can't be asked again, so if the process dies before the job ends, the worker's next wake-up
     * finishes it from this. Outputs given as bytes are not recorded: only the local engine gives them, and it
     * is restartable.
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
        return toBuilder().claimedUntil(until).retryAt(null).slot(null).build();
    }

    /** Back to waiting, without a slot: nothing reached the provider. */
    public Dispatch waitUntil(Instant when, boolean countFailure) {
        return toBuilder()
                .startFailures(countFailure ? startFailures + 1 : startFailures)
                .claimedUntil(null)
                .retryAt(when)
                .slot(null)
                .build();
    }

    public Dispatch accepted(String id, Integer heldSlot, Instant now, Instant expectedAt, Instant firstPoll) {
        return toBuilder()
                .claimedUntil(null)
                .retryAt(null)
                .slot(heldSlot)
                .providerJobId(id)
                .acceptedAt(acceptedAt != null ? acceptedAt : now)
                .eta(expectedAt)
                .nextPollAt(firstPoll)
                .build();
    }

    /** With {@code given} recorded (null: forgotten, once the job has its outputs or has expired). */
    public Dispatch answered(Answer given) {
        return toBuilder().answer(given).build();
    }

    /** One more poll is claimed, and the one after it scheduled. */
    public Dispatch polled(Instant next) {
        return toBuilder().nextPollAt(next).polls(polls + 1).build();
    }

    public Dispatch fetchFailed(Instant next) {
        return toBuilder().nextPollAt(next).fetchFailures(fetchFailures + 1).build();
    }

    public Dispatch stillRunning(Instant expectedAt, Instant next) {
        return toBuilder().eta(expectedAt).nextPollAt(next).fetchFailures(0).build();
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** A change names the fields it changes, never their positions among eleven. */
    private static final class Builder {
        private int startFailures;
        private Instant claimedUntil;
        private Instant retryAt;
        private Integer slot;
        private String providerJobId;
        private Instant acceptedAt;
        private Instant eta;
        private Instant nextPollAt;
        private int polls;
        private int fetchFailures;
        private Answer answer;

        private Builder(Dispatch d) {
            startFailures = d.startFailures;
            claimedUntil = d.claimedUntil;
            retryAt = d.retryAt;
            slot = d.slot;
            providerJobId = d.providerJobId;
            acceptedAt = d.acceptedAt;
            eta = d.eta;
            nextPollAt = d.nextPollAt;
            polls = d.polls;
            fetchFailures = d.fetchFailures;
            answer = d.answer;
        }

        private Builder startFailures(int value) {
            startFailures = value;
            return this;
        }

        private Builder claimedUntil(Instant value) {
            claimedUntil = value;
            return this;
        }

        private Builder retryAt(Instant value) {
            retryAt = value;
            return this;
        }

        private Builder slot(Integer value) {
            slot = value;
            return this;
        }

        private Builder providerJobId(String value) {
            providerJobId = value;
            return this;
        }

        private Builder acceptedAt(Instant value) {
            acceptedAt = value;
            return this;
        }

        private Builder eta(Instant value) {
            eta = value;
            return this;
        }

        private Builder nextPollAt(Instant value) {
            nextPollAt = value;
            return this;
        }

        private Builder polls(int value) {
            polls = value;
            return this;
        }

        private Builder fetchFailures(int value) {
            fetchFailures = value;
            return this;
        }

        private Builder answer(Answer value) {
            answer = value;
            return this;
        }

        private Dispatch build() {
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
                    answer);
        }
    }

    /** Back-off: {@code base}, doubling with each attempt, at most a minute (5 s, 10 s, 20 s, 40 s, 60 s…). */
    public static Duration backOff(Duration base, int attempts) {
        Duration delay = base.multipliedBy(1L << Math.min(attempts, 4));
        return delay.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : delay;
    }
}
