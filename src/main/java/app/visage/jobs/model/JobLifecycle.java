package app.visage.jobs.model;

import app.visage.jobs.usecase.JobRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The job lifecycle as one state machine. Every change a job record may undergo is a named, pure transition
 * here: a function of the record and the facts it needs (the time, a provider's answer, a lease), answering
 * the next record or why the transition does not apply to this one. Use cases read facts, call the world,
 * and apply one transition through {@link JobRecords}, which applies it again to the stored record when
 * another writer got there first; so a transition must decide from the record it is given, never from what
 * its caller saw earlier.
 */
public final class JobLifecycle {

    private JobLifecycle() {}

    /** What a transition makes of a record: the next record, or why it leaves this one as it is. */
    public sealed interface Transition {
        record To(Job next) implements Transition {}

        record Declined(String why) implements Transition {}
    }

    /** The next record, with the client webhook events its change of status owes queued on it. */
    private static Transition to(Job before, Job next) {
        return new Transition.To(before.status() == next.status() ? next : withEventsOwed(next));
    }

    /**
     * Queues the events the client asked for ({@link WebhookEvent}) that the job's new status brings: {@code
     * job.started} the first time it goes processing, {@code job.output} then the end when it succeeds, the end
     * when it fails or is canceled. They are sent in this order, each once the one before is done.
     */
    private static Job withEventsOwed(Job job) {
        if (job.webhook() == null) {
            return job;
        }
        Set<WebhookEvent> asked = job.webhookEvents();
        List<String> types = new ArrayList<>();
        if (job.status() == JobStatus.PROCESSING
                && asked.contains(WebhookEvent.STARTED)
                && job.clientWebhooks().stream().noneMatch(w -> w.type().equals(STARTED))) {
            types.add(STARTED);
        }
        if (job.status() == JobStatus.SUCCEEDED && asked.contains(WebhookEvent.OUTPUT)) {
            types.add("job.output");
        }
        if (job.status().isTerminal() && asked.contains(WebhookEvent.COMPLETED)) {
            types.add("job." + job.status().wire());
        }
        if (types.isEmpty()) {
            return job;
        }
        List<ClientWebhook> owed = new ArrayList<>(job.clientWebhooks());
        types.forEach(type -> owed.add(ClientWebhook.owed(job.id(), type, job.updatedAt())));
        return job.toBuilder().clientWebhooks(owed).build();
    }

    private static final String STARTED = "job.started";

    private static Transition declined(Job job, String why) {
        return new Transition.Declined(job.status().wire() + ": " + why);
    }

    // --- when the worker is next needed ---

    /**
     * When something next falls due for this job, or empty when nothing ever will: its start (now, or when a
     * wait ends), the recovery of a start whose claimer died, its next poll, its processing deadline, an upload
     * that never came, its client webhook's next attempt, its expiry. Every write that moves this time wakes the
     * worker then (see {@link JobRecords}): nothing lists the records to find a job that is due.
     */
    public static Optional<Instant> nextWake(Job job, Duration processingDeadline) {
        Dispatch d = job.dispatch();
        Instant step = switch (job.status()) {
            case QUEUED -> {
                if (job.input() == null) {
                    yield job.upload() != null ? job.upload().expiresAt() : null;
                }
                Instant start = d.claimed() ? d.claimedUntil() : d.retryAt() != null ? d.retryAt() : job.updatedAt();
                yield earliest(start, job.expiresAt());
            }
            case PROCESSING -> {
                Instant poll = d.providerJobId() != null || d.answer() != null
                        ? d.nextPollAt() != null ? d.nextPollAt() : job.updatedAt()
                        : null;
                Instant since = d.acceptedAt() != null ? d.acceptedAt() : job.updatedAt();
                yield earliest(poll, since.plus(processingDeadline));
            }
            case SUCCEEDED, FAILED, CANCELED -> job.expiresAt();
            case EXPIRED -> null;
        };
        return Optional.ofNullable(earliest(step, nextDelivery(job)));
    }

    /** When the client webhook is next due: its oldest event not done yet, as soon as owed, then on its schedule. */
    private static Instant nextDelivery(Job job) {
        return job.webhook() == null
                ? null
                : pending(job).map(ClientWebhook::nextAttemptAt).orElse(null);
    }

    /**
     * The oldest event not done yet: the only one that may be sent, so that events arrive in order. None once an
     * event was answered 410 Gone: the endpoint is gone for every later event too, until a replay reopens it.
     */
    private static Optional<ClientWebhook> pending(Job job) {
        for (ClientWebhook webhook : job.clientWebhooks()) {
            if (webhook.state().equals("disabled")) {
                return Optional.empty();
            }
            if (!webhook.finished()) {
                return Optional.of(webhook);
            }
        }
        return Optional.empty();
    }

    private static Instant earliest(Instant a, Instant b) {
        return Stream.of(a, b).filter(t -> t != null).min(Instant::compareTo).orElse(null);
    }

    // --- starting at the provider ---

    /** Queued with its photo, not being started by anyone, and not told to wait. */
    public static boolean startable(Job job, Instant now) {
        return job.status() == JobStatus.QUEUED
                && job.input() != null
                && !job.dispatch().claimed()
                && job.dispatch().due(now);
    }

    /** Claim a start: only the claimer calls the provider, with the webhook token whose hash is recorded here. */
    public static Transition claimStart(Job job, String tokenHash, Instant now, Duration lease) {
        if (!startable(job, now)) {
            return declined(job, "not startable (no photo, being started, or waiting)");
        }
        return to(job, job.claimed(tokenHash, job.dispatch().claim(now.plus(lease)), now));
    }

    /** Queued with its photo and not being started: whether or not a wait is set, a freed slot may start it. */
    public static boolean waitingForSlot(Job job) {
        return job.status() == JobStatus.QUEUED
                && job.input() != null
                && !job.dispatch().claimed();
    }

    /** Claim a start for a slot that just freed: the job's wait (a back-stop for a lost wake-up) is cut short. */
    public static Transition claimFreedSlot(Job job, String tokenHash, Instant now, Duration lease) {
        if (!waitingForSlot(job)) {
            return declined(job, "not waiting (no photo, or being started)");
        }
        return to(job, job.claimed(tokenHash, job.dispatch().claim(now.plus(lease)), now));
    }

    /** Wait: a claimed start that reached no provider (no slot, busy, a transient failure) waits until {@code until}. */
    public static Transition waitToStart(Job job, Instant until, boolean countFailure, Instant now) {
        if (job.status() != JobStatus.QUEUED || !job.dispatch().claimed()) {
            return declined(job, "no start claimed");
        }
        return to(job, job.withDispatch(job.dispatch().waitUntil(until, countFailure), now));
    }

    /**
     * Accept at a provider: queued → processing with what the provider said (its job id, or its whole
     * {@code answer}); a processing job whose provider id only a webhook named gets it filled in.
     */
    public static Transition accept(Job job, Acceptance acceptance, Instant now) {
        Dispatch d = job.dispatch();
        if (acceptance.seed() != null) {
            job = job.withSeed(acceptance.seed());
        }
        if (job.status() == JobStatus.QUEUED) {
            return to(
                    job,
                    job.accepted(
                            d.accepted(
                                            acceptance.providerJobId(),
                                            acceptance.slot(),
                                            now,
                                            acceptance.expectedAt(),
                                            acceptance.firstPoll())
                                    .answered(acceptance.answer()),
                            now));
        }
        if (job.status() == JobStatus.PROCESSING && d.providerJobId() == null && acceptance.providerJobId() != null) {
            return to(
                    job,
                    job.withDispatch(
                            d.accepted(
                                    acceptance.providerJobId(),
                                    d.slot(),
                                    now,
                                    acceptance.expectedAt(),
                                    acceptance.firstPoll()),
                            now));
        }
        return declined(job, "already accepted");
    }

    /** What a provider said when it took a job; any field may be null. */
    public record Acceptance(
            String providerJobId,
            Integer slot,
            Instant expectedAt,
            Instant firstPoll,
            Dispatch.Answer answer,
            Long seed) {

        public Acceptance(
                String providerJobId, Integer slot, Instant expectedAt, Instant firstPoll, Dispatch.Answer answer) {
            this(providerJobId, slot, expectedAt, firstPoll, answer, null);
        }
    }

    /**
     * Recover an interrupted start whose second run costs nothing: the claim is released and the job may be
     * started again at once.
     */
    public static Transition releaseInterruptedStart(Job job, Instant now) {
        return waitToStart(job, now, false, now);
    }

    /**
     * Recover an interrupted start that may have reached a provider that charges for it: it is never sent
     * twice, so the job is taken as accepted and waits for the provider's webhook until its deadline.
     */
    public static Transition presumeStarted(Job job, Instant now) {
        if (job.status() != JobStatus.QUEUED || !job.dispatch().claimed()) {
            return declined(job, "no start claimed");
        }
        return to(job, job.accepted(job.dispatch().accepted(null, null, now, null, null), now));
    }

    // --- asking the provider ---

    /** A processing job the provider can be asked about (or whose answer is recorded), once its next poll is due. */
    public static boolean pollDue(Job job, Instant now) {
        Dispatch d = job.dispatch();
        return job.status() == JobStatus.PROCESSING
                && (d.providerJobId() != null || d.answer() != null)
                && (d.nextPollAt() == null || !now.isBefore(d.nextPollAt()));
    }

    /** Claim a poll: one ask per due time, the next one scheduled with back-off. */
    public static Transition claimPoll(Job job, Instant now, Duration pollInterval) {
        if (!pollDue(job, now)) {
            return declined(job, "no poll due");
        }
        Dispatch d = job.dispatch();
        return to(job, job.withDispatch(d.polled(now.plus(Dispatch.backOff(pollInterval, d.polls()))), now));
    }

    /** The provider is still at it: its new estimate (null: unchanged), the next poll with back-off, no failures. */
    public static Transition stillRunning(Job job, Duration eta, Duration pollInterval, Instant now) {
        if (job.status() != JobStatus.PROCESSING) {
            return declined(job, "not processing");
        }
        Dispatch d = job.dispatch();
        return to(
                job,
                job.withDispatch(
                        d.stillRunning(
                                eta == null ? d.eta() : now.plus(eta),
                                now.plus(Dispatch.backOff(pollInterval, d.polls()))),
                        now));
    }

    /** The provider asked us to come back later: the next poll then. */
    public static Transition providerBusy(Job job, Instant nextPoll, Instant now) {
        if (job.status() != JobStatus.PROCESSING) {
            return declined(job, "not processing");
        }
        return to(job, job.withDispatch(job.dispatch().polled(nextPoll), now));
    }

    /** Asking (or downloading an output) failed: one more failure, the next poll with back-off. */
    public static Transition fetchFailed(Job job, Duration pollInterval, Instant now) {
        if (job.status() != JobStatus.PROCESSING) {
            return declined(job, "not processing");
        }
        Dispatch d = job.dispatch();
        return to(
                job, job.withDispatch(d.fetchFailed(now.plus(Dispatch.backOff(pollInterval, d.fetchFailures()))), now));
    }

    // --- ending ---

    /** Succeed with the outputs in the bucket; the provider's recorded answer is no longer needed. */
    public static Transition succeed(Job job, List<StoredObject> outputs, Map<String, Object> result, Instant now) {
        return succeed(job, outputs, result, null, now);
    }

    /** Succeed, with the seed the provider said it used (null: the one known before, if any). */
    public static Transition succeed(
            Job job, List<StoredObject> outputs, Map<String, Object> result, Long seed, Instant now) {
        if (!job.status().canMoveTo(JobStatus.SUCCEEDED)) {
            return declined(job, "cannot succeed");
        }
        Job done =
                job.succeeded(outputs, result, now).withDispatch(job.dispatch().answered(null), now);
        return to(job, seed == null ? done : done.withSeed(seed));
    }

    // --- running again, or at the next provider ---

    /**
     * The provider ended the run {@code ended} names with a failure its documents say to run again: the job is
     * queued anew at the same provider, to start at {@code startAt}, and the run is kept as an attempt. A
     * report of an earlier run (a late or repeated confirmation) changes nothing.
     */
    public static Transition runAgain(Job job, Attempt ended, Instant startAt, Instant now) {
        if (job.status() != JobStatus.PROCESSING) {
            return declined(job, "not processing");
        }
        String current = job.dispatch().providerJobId();
        if (current != null && !current.equals(ended.providerJobId())) {
            return declined(job, "that run is not the current one");
        }
        return to(job, job.startedOver(job.provider(), job.fallbacks(), ended, startAt, now));
    }

    /**
     * The provider refused a start before taking the job (nothing charged): the job is queued at once for the
     * next provider of its request's list, and the refusal kept as an attempt. Never once a provider took it.
     */
    public static Transition fallBack(Job job, Attempt ended, Instant now) {
        if (job.status() != JobStatus.QUEUED || !job.dispatch().claimed()) {
            return declined(job, "no start claimed");
        }
        if (job.fallbacks().isEmpty()) {
            return declined(job, "no provider left to try");
        }
        List<String> rest = job.fallbacks().subList(1, job.fallbacks().size());
        return to(job, job.startedOver(job.fallbacks().getFirst(), rest, ended, now, now));
    }

    /** Fail, from queued or processing. */
    public static Transition fail(Job job, JobError error, Instant now) {
        if (!job.status().canMoveTo(JobStatus.FAILED)) {
            return declined(job, "cannot fail");
        }
        return to(job, job.failed(error, now).withDispatch(job.dispatch().answered(null), now));
    }

    /** Fail only if the job is still in {@code status}: the worker's verdict on what it read, void once it moved. */
    public static Transition failIfStill(Job job, JobStatus status, JobError error, Instant now) {
        if (job.status() != status) {
            return declined(job, "no longer " + status.wire());
        }
        return fail(job, error, now);
    }

    /** Cancel a queued or processing job; an ended job stays as it is. */
    public static Transition cancel(Job job, Instant now) {
        if (!job.status().canMoveTo(JobStatus.CANCELED)) {
            return declined(job, "already ended");
        }
        return to(job, job.moveTo(JobStatus.CANCELED, now));
    }

    /** Expire an ended job whose objects are deleted: what was measured of the face goes too. */
    public static Transition expire(Job job, Instant now) {
        if (!job.status().canMoveTo(JobStatus.EXPIRED)) {
            return declined(job, "not ended, or already expired");
        }
        return to(job, job.expired(now).withDispatch(job.dispatch().answered(null), now));
    }

    // --- the presigned upload ---

    /** Queued and still waiting for the photo at {@code key}. */
    public static boolean waitingForUpload(Job job, String key) {
        return job.status() == JobStatus.QUEUED
                && job.input() == null
                && job.upload() != null
                && job.upload().key().equals(key);
    }

    /** Attach the uploaded photo, now stored as {@code input}. */
    public static Transition attachUpload(Job job, String key, StoredObject input) {
        if (!waitingForUpload(job, key)) {
            return declined(job, "not waiting for " + key);
        }
        return to(job, job.withInput(input));
    }

    // --- the client webhook ---

    /**
     * A job with a webhook whose oldest pending event is due: owed and not tried yet, or its retry time has come.
     * Retries outlast the job's TTL (the schedule spans about 42 h): an expired job's events are still retried.
     */
    public static boolean deliveryDue(Job job, Instant now) {
        return job.webhook() != null && pending(job).filter(w -> w.due(now)).isPresent();
    }

    /** Claim a delivery: one attempt in flight, of the oldest pending event, with that event's message id. */
    public static Transition claimDelivery(Job job, Instant now) {
        if (!deliveryDue(job, now)) {
            return declined(job, "no delivery due");
        }
        ClientWebhook due = pending(job).orElseThrow();
        return to(job, job.withClientWebhooks(replace(job, due, due.sending(now)), now));
    }

    /**
     * Record an attempt at the event {@code messageId} names and what follows it (done, stopped, or the next retry
     * with {@code jitter}, not before the receiver's {@code retryAfter}, null when it gave none).
     */
    public static Transition recordDelivery(
            Job job, String messageId, ClientWebhook.Attempt attempt, double jitter, Duration retryAfter, Instant now) {
        Optional<ClientWebhook> sent = pending(job)
                .filter(w -> w.state().equals("sending") && w.messageId().equals(messageId));
        if (sent.isEmpty()) {
            return declined(job, "no delivery of " + messageId + " claimed");
        }
        ClientWebhook answered = sent.get().answered(attempt, jitter, retryAfter);
        return to(job, job.withClientWebhooks(replace(job, sent.get(), answered), now));
    }

    /** The last event tried, if any: what a replay sends again. */
    public static Optional<ClientWebhook> lastSent(Job job) {
        return job.clientWebhooks().stream()
                .filter(w -> !w.attempts().isEmpty())
                .reduce((first, second) -> second);
    }

    /**
     * Replay the last event tried as a new round (same message id, the whole schedule again), due now. Declined,
     * changing nothing, while an attempt at it is in flight (that attempt is the replay) or a replay of it waits.
     */
    public static Transition replayWebhook(Job job, Instant now) {
        Optional<ClientWebhook> last = lastSent(job);
        if (job.webhook() == null || last.isEmpty()) {
            return declined(job, "no client webhook sent yet");
        }
        if (last.get().state().equals("sending") || last.get().freshRound()) {
            return declined(job, "its last event is being sent, or a replay of it waits");
        }
        return to(
                job, job.withClientWebhooks(replace(job, last.get(), last.get().replayed(now)), now));
    }

    private static List<ClientWebhook> replace(Job job, ClientWebhook old, ClientWebhook next) {
        return job.clientWebhooks().stream().map(w -> w == old ? next : w).toList();
    }
}
