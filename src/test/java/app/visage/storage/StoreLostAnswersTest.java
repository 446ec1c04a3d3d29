package app.visage.storage;

import static app.visage.faults.S3FaultProxy.Fate.DROPPED;
import static org.assertj.core.api.Assertions.assertThat;

import app.visage.faults.FaultProfile;
import app.visage.faults.FaultyS3;
import app.visage.faults.S3FaultProxy;
import app.visage.faults.S3FaultProxy.Exchange;
import app.visage.faults.S3FaultProxy.Rule;
import app.visage.idempotency.IdempotencyRecord;
import app.visage.idempotency.IdempotencyRecord.State;
import app.visage.idempotency.IdempotencyStore;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Sha256;
import app.visage.jobs.port.SlotStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Idempotency-Key and slot stores, whose writes used to take a lost answer for a lost race: through the
 * fault proxy, a write that landed unheard is now theirs, as it always was for job records.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class StoreLostAnswersTest {
    @Inject
    S3IdempotencyStore idempotency;

    @Inject
    S3SlotStore slots;

    @Inject
    FaultyS3 s3;

    private S3FaultProxy proxy;
    private final String hash =
            HexFormat.of().formatHex(Sha256.of(UUID.randomUUID().toString()));
    private final String provider = "lost-answers-" + UUID.randomUUID();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void resetProxy() {
        proxy = s3.proxy();
        proxy.reset();
    }

    @AfterEach
    void disarm() {
        proxy.disarm();
    }

    @Test
    void anIdempotencyKeyClaimWhoseAnswerWasLostIsOurs() {
        IdempotencyRecord claim = new IdempotencyRecord("fp", JobId.random(), State.IN_FLIGHT, now, now, null, null);
        Rule lost = proxy.arm(Rule.put(Keys.idempotency(hash)).dropAnswer());

        Optional<String> version = idempotency.create(hash, claim);

        assertThat(lost.hits()).isEqualTo(1);
        IdempotencyStore.Versioned stored = idempotency.find(hash).orElseThrow();
        assertThat(version).as("the claim is ours").contains(stored.version());
        assertThat(stored.record()).isEqualTo(claim);
        assertThat(idempotency.create(hash, claim)).as("a second claim loses").isEmpty();
    }

    @Test
    void anIdempotencyAnswerWhoseAnswerWasLostIsOurs() {
        JobId job = JobId.random();
        String claimed = idempotency
                .create(hash, new IdempotencyRecord("fp", job, State.IN_FLIGHT, now, now, null, null))
                .orElseThrow();
        IdempotencyRecord done =
                new IdempotencyRecord("fp", job, State.DONE, now, now, 202, "{\"id\":\"" + job + "\"}");
        Rule lost = proxy.arm(Rule.put(Keys.idempotency(hash)).dropAnswer());

        Optional<String> version = idempotency.replace(hash, done, claimed);

        assertThat(lost.hits()).isEqualTo(1);
        IdempotencyStore.Versioned stored = idempotency.find(hash).orElseThrow();
        assertThat(version).contains(stored.version());
        assertThat(stored.record()).isEqualTo(done);
        assertThat(idempotency.replace(hash, done, claimed))
                .as("the claim's version is gone")
                .isEmpty();
    }

    @Test
    void aSlotTakenWhoseAnswerWasLostIsHeld() {
        JobId job = JobId.random();
        Rule lost = proxy.arm(Rule.put(slotKey()).dropAnswer());

        boolean taken = slots.create(provider, 0, job);

        assertThat(lost.hits()).isEqualTo(1);
        assertThat(taken).as("the job holds the slot it wrote").isTrue();
        assertThat(slots.read(provider, 0).orElseThrow().holder()).isEqualTo(job);
        assertThat(slots.create(provider, 0, JobId.random()))
                .as("another job can't create it")
                .isFalse();
    }

    @Test
    void aSlotFreedWhoseAnswerWasLostIsFree() {
        JobId job = JobId.random();
        assertThat(slots.create(provider, 0, job)).isTrue();
        String held = slots.read(provider, 0).orElseThrow().version();
        Rule lost = proxy.arm(Rule.put(slotKey()).dropAnswer());

        boolean freed = slots.replace(provider, 0, null, held);

        assertThat(lost.hits()).isEqualTo(1);
        assertThat(proxy.log("PUT", slotKey())).extracting(Exchange::fate).contains(DROPPED);
        assertThat(freed).isTrue();
        SlotStore.Slot slot = slots.read(provider, 0).orElseThrow();
        assertThat(slot.holder()).isNull();
        assertThat(slot.version()).isNotEqualTo(held);
        assertThat(slots.replace(provider, 0, job, held))
                .as("the held version is gone")
                .isFalse();
    }

    private String slotKey() {
        return "slots/" + provider + "/0.json";
    }
}
