package app.visage.idempotency;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Sha256;
import app.visage.jobs.model.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Stripe's Idempotency-Key semantics for the requests that create jobs: the first answer to a key is kept
 * for 24 hours and replayed to the same request; the same key with another request is 409
 * {@code idempotency_conflict}; a request that races one in flight waits for its answer. Keys are scoped
 * per tenant. Refused (4xx) requests keep nothing, as at Stripe, so the key can be used again.
 */
@ApplicationScoped
public class IdempotentRequests {
    private static final Logger LOG = Logger.getLogger(IdempotentRequests.class);
    static final Duration KEY_LIFETIME = Duration.ofHours(24);
    /** Longer than API Gateway lets a request run (30 s): an older in-flight claim's request is dead. */
    static final Duration LEASE = Duration.ofSeconds(60);

    static final Duration RACE_WAIT = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 100;
    private static final int MAX_KEY = 255;

    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration raceWait;

    @Inject
    public IdempotentRequests(IdempotencyStore store, Clock clock) {
        this(store, clock, RACE_WAIT);
    }

    IdempotentRequests(IdempotencyStore store, Clock clock, Duration raceWait) {
        this.store = store;
        this.clock = clock;
        this.raceWait = raceWait;
    }

    /** An HTTP answer as it is kept and replayed. */
    public record Answer(int status, String body, boolean replayed) {
        public Answer(int status, String body) {
            this(status, body, false);
        }
    }

    /**
     * Answers {@code request} (given the job id it must use) once per key; {@code fingerprint} identifies the
     * request, so that another request with the same key is told apart.
     */
    public Answer answer(Tenant tenant, String key, String fingerprint, Function<JobId, Answer> request) {
        String hash = hash(tenant, checked(key));
        long giveUpAt = System.nanoTime() + raceWait.toNanos();
        while (true) {
            Instant now = clock.instant();
            Optional<IdempotencyStore.Versioned> found = store.find(hash);
            if (found.isEmpty()) {
                IdempotencyRecord claim = IdempotencyRecord.claim(fingerprint, JobId.random(), now, now);
                Optional<String> version = store.create(hash, claim);
                if (version.isPresent()) {
                    return run(hash, claim, version.get(), request);
                }
                continue; // another request claimed it first: read what it wrote
            }
            IdempotencyRecord kept = found.get().record();
            String version = found.get().version();
            boolean expired = !now.isBefore(kept.createdAt().plus(KEY_LIFETIME));
            if (expired || kept.state() == IdempotencyRecord.State.RELEASED) {
                IdempotencyRecord claim = IdempotencyRecord.claim(fingerprint, JobId.random(), now, now);
                Optional<String> taken = store.replace(hash, claim, version);
                if (taken.isPresent()) {
                    return run(hash, claim, taken.get(), request);
                }
                continue;
            }
            if (!kept.fingerprint().equals(fingerprint)) {
                throw new VisageException(
                        ErrorCode.IDEMPOTENCY_CONFLICT,
                        "this Idempotency-Key was used with a different request",
                        "Idempotency-Key");
            }
            if (kept.state() == IdempotencyRecord.State.DONE) {
                return new Answer(kept.status(), kept.body(), true);
            }
            boolean abandoned = kept.state() == IdempotencyRecord.State.IN_FLIGHT
                    && !now.isBefore(kept.attemptAt().plus(LEASE));
            if (kept.state() == IdempotencyRecord.State.RETRY || abandoned) {
                // The same job id again: if the earlier attempt got as far as creating the job, that job is the answer.
                IdempotencyRecord claim = IdempotencyRecord.claim(fingerprint, kept.jobId(), kept.createdAt(), now);
                Optional<String> taken = store.replace(hash, claim, version);
                if (taken.isPresent()) {
                    return run(hash, claim, taken.get(), request);
                }
                continue;
            }
            if (System.nanoTime() - giveUpAt > 0) {
                throw new VisageException(
                        ErrorCode.IDEMPOTENCY_CONFLICT,
                        "a request with this Idempotency-Key is still in progress; retry later",
                        "Idempotency-Key");
            }
            pause();
        }
    }

    private Answer run(String hash, IdempotencyRecord claim, String version, Function<JobId, Answer> request) {
        Answer answer;
        try {
            answer = request.apply(claim.jobId());
        } catch (VisageException e) {
            settle(
                    hash,
                    claim.in(
                            e.code().httpStatus() < 500
                                    ? IdempotencyRecord.State.RELEASED
                                    : IdempotencyRecord.State.RETRY),
                    version);
            throw e;
        } catch (RuntimeException e) {
            settle(hash, claim.in(IdempotencyRecord.State.RETRY), version);
            throw e;
        }
        settle(hash, claim.done(answer), version);
        return answer;
    }

    /**
     * Records the outcome. If this fails the claim stays in flight until its lease runs out, and the next
     * attempt then continues with the same job id: slower, never a second job.
     */
    private void settle(String hash, IdempotencyRecord outcome, String version) {
        try {
            if (store.replace(hash, outcome, version).isEmpty()) {
                LOG.warnf("idempotency record %s changed under an attempt; its outcome was not kept", hash);
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "idempotency record %s not updated: %s", hash, e.getClass().getName());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisageException(
                    ErrorCode.IDEMPOTENCY_CONFLICT,
                    "a request with this Idempotency-Key is still in progress; retry later",
                    "Idempotency-Key");
        }
    }

    /** Keys are opaque to us, but bounded and printable (they become part of nothing but a hash). */
    private static String checked(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new VisageException(
                    ErrorCode.INVALID_REQUEST,
                    "Idempotency-Key must be 1 to " + MAX_KEY + " printable ASCII characters",
                    "Idempotency-Key");
        }
        return key;
    }

    /** Scoped per tenant; the key itself is never stored, only this hash. */
    static String hash(Tenant tenant, String key) {
        MessageDigest sha = Sha256.digest();
        sha.update((tenant.id() == null ? "" : tenant.id()).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(key.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha.digest());
    }
}
