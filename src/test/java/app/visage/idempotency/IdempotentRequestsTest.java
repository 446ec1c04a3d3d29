package app.visage.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Tenant;
import app.visage.support.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key's life cycle, on the in-memory store and a clock the test moves. */
class IdempotentRequestsTest {
    private static final Tenant ACME = new Tenant("acme");
    private final TestClock clock = new TestClock();
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
    private final IdempotentRequests requests = new IdempotentRequests(store, clock, Duration.ofMillis(300));
    private final List<JobId> ran = new ArrayList<>();

    private IdempotentRequests.Answer answer(String key, String fingerprint) {
        return requests.answer(ACME, key, fingerprint, id -> {
            ran.add(id);
            return new IdempotentRequests.Answer(202, "{\"id\":\"" + id + "\"}");
        });
    }

    @Test
    void theFirstAnswerIsReplayedWithoutRunningAgain() {
        IdempotentRequests.Answer first = answer("k", "f");
        IdempotentRequests.Answer second = answer("k", "f");
        assertThat(ran).hasSize(1);
        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.status()).isEqualTo(202);
    }

    @Test
    void aKeyIsForgottenAfterADay() {
        answer("k", "f");
        clock.advance(Duration.ofHours(23));
        assertThat(answer("k", "f").replayed()).isTrue();
        clock.advance(Duration.ofHours(1));
        IdempotentRequests.Answer later = answer("k", "other");
        assertThat(later.replayed()).isFalse();
        assertThat(ran).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void anotherRequestWithTheKeyIsAConflictAndRunsNothing() {
        answer("k", "f");
        assertThatThrownBy(() -> answer("k", "g"))
                .isInstanceOfSatisfying(
                        VisageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT));
        assertThat(ran).hasSize(1);
    }

    @Test
    void keysOfDifferentTenantsNeverMeet() {
        requests.answer(new Tenant("globex"), "k", "f", id -> new IdempotentRequests.Answer(202, "globex"));
        assertThat(answer("k", "g").replayed()).isFalse();
        assertThat(IdempotentRequests.hash(ACME, "k"))
                .isNotEqualTo(IdempotentRequests.hash(new Tenant("globex"), "k"))
                .isNotEqualTo(IdempotentRequests.hash(Tenant.ANONYMOUS, "k"))
                .doesNotContain("k");
    }

    @Test
    void aRefusedRequestFreesTheKeyAndMadeNothing() {
        assertThatThrownBy(() -> requests.answer(ACME, "k", "bad", id -> {
                    throw new VisageException(ErrorCode.INVALID_PARAM, "no");
                }))
                .isInstanceOf(VisageException.class);
        assertThat(store.only().state()).isEqualTo(IdempotencyRecord.State.RELEASED);
        assertThat(answer("k", "good").replayed()).isFalse();
        assertThat(ran).hasSize(1);
    }

    @Test
    void afterOurOwnFailureTheSameRequestRetriesForTheSameJob() {
        List<JobId> attempted = new ArrayList<>();
        assertThatThrownBy(() -> requests.answer(ACME, "k", "f", id -> {
                    attempted.add(id);
                    throw new IllegalStateException("S3 went away");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.only().state()).isEqualTo(IdempotencyRecord.State.RETRY);

        answer("k", "f");
        assertThat(ran).containsExactly(attempted.get(0));
        assertThatThrownBy(() -> answer("k", "g")).isInstanceOf(VisageException.class);
    }

    @Test
    void aRequestInFlightIsWaitedForThenAnInProgressConflict() {
        var claim = IdempotencyRecord.claim("f", JobId.random(), clock.instant(), clock.instant());
        store.create(IdempotentRequests.hash(ACME, "k"), claim);

        assertThatThrownBy(() -> answer("k", "f")).isInstanceOfSatisfying(VisageException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT);
            assertThat(e.getMessage()).contains("in progress");
        });
        assertThat(ran).isEmpty();
    }

    @Test
    void anInFlightClaimWhoseRequestDiedIsTakenOverForTheSameJob() {
        JobId claimed = JobId.random();
        store.create(
                IdempotentRequests.hash(ACME, "k"),
                IdempotencyRecord.claim("f", claimed, clock.instant(), clock.instant()));
        clock.advance(IdempotentRequests.LEASE);

        answer("k", "f");
        assertThat(ran).containsExactly(claimed);
        assertThat(store.only().state()).isEqualTo(IdempotencyRecord.State.DONE);
    }

    @Test
    void badKeysAreRefused() {
        for (String key : new String[] {"", "with space", "x".repeat(256), "tab\t", "é"}) {
            assertThatThrownBy(() -> answer(key, "f"))
                    .isInstanceOfSatisfying(
                            VisageException.class, e -> assertThat(e.field()).isEqualTo("Idempotency-Key"));
        }
        assertThat(ran).isEmpty();
    }
}
