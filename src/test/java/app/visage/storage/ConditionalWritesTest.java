package app.visage.storage;

import static app.visage.faults.S3FaultProxy.Fate.DROPPED;
import static app.visage.faults.S3FaultProxy.Fate.FORWARDED;
import static app.visage.faults.S3FaultProxy.Fate.INJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import app.visage.faults.FaultProfile;
import app.visage.faults.FaultyS3;
import app.visage.faults.S3FaultProxy;
import app.visage.faults.S3FaultProxy.Exchange;
import app.visage.faults.S3FaultProxy.Rule;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one conditional-write helper against the embedded S3, through the fault proxy and the application's own
 * S3 client (its retries included): who wins, who loses, and a write whose answer was lost.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class ConditionalWritesTest {
    private static final byte[] OURS = json("{\"writer\":\"us\"}");
    private static final byte[] THEIRS = json("{\"writer\":\"them\"}");

    @Inject
    ConditionalWrites writes;

    @Inject
    FaultyS3 s3;

    private S3FaultProxy proxy;
    private final String key = "conditional-writes-test/" + UUID.randomUUID() + ".json";

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
    void createWritesOnlyWhereNothingIs() {
        Optional<String> created = writes.create(key, OURS);

        assertThat(created).isPresent();
        assertThat(writes.create(key, THEIRS)).isEmpty();
        ConditionalWrites.Found found = writes.read(key).orElseThrow();
        assertThat(found.body()).isEqualTo(OURS);
        assertThat(found.version()).isEqualTo(created.get());
    }

    @Test
    void replaceWritesOnlyOverTheVersionRead() {
        String first = writes.create(key, THEIRS).orElseThrow();

        Optional<String> replaced = writes.replace(key, OURS, first);

        assertThat(replaced).isPresent().get().isNotEqualTo(first);
        assertThat(writes.replace(key, THEIRS, first)).as("a stale version").isEmpty();
        assertThat(writes.read(key).orElseThrow()).satisfies(found -> {
            assertThat(found.body()).isEqualTo(OURS);
            assertThat(found.version()).isEqualTo(replaced.get());
        });
        assertThat(writes.replace(key + ".missing", OURS, first))
                .as("an object that is gone is not at that version")
                .isEmpty();
        assertThat(writes.read(key + ".missing")).isEmpty();
    }

    @Test
    void aCreateWhoseAnswerWasLostIsOurOwnWrite() {
        Rule lost = proxy.arm(Rule.put(key).dropAnswer());

        Optional<String> created = writes.create(key, OURS);

        assertThat(lost.hits()).isEqualTo(1);
        assertThat(proxy.log("PUT", key))
                .as("the write landed unheard, and its retry failed the condition it had changed")
                .extracting(Exchange::fate, Exchange::status)
                .containsExactly(tuple(DROPPED, 200), tuple(FORWARDED, 412));
        ConditionalWrites.Found found = writes.read(key).orElseThrow();
        assertThat(created).contains(found.version());
        assertThat(found.body()).isEqualTo(OURS);
    }

    @Test
    void aReplaceWhoseAnswerWasLostIsOurOwnWrite() {
        String first = writes.create(key, THEIRS).orElseThrow();
        Rule lost = proxy.arm(Rule.put(key).dropAnswer());

        Optional<String> replaced = writes.replace(key, OURS, first);

        assertThat(lost.hits()).isEqualTo(1);
        assertThat(proxy.log("PUT", key))
                .extracting(Exchange::fate, Exchange::status)
                .endsWith(tuple(DROPPED, 200), tuple(FORWARDED, 412));
        ConditionalWrites.Found found = writes.read(key).orElseThrow();
        assertThat(replaced).contains(found.version()).get().isNotEqualTo(first);
        assertThat(found.body()).isEqualTo(OURS);
    }

    @Test
    void aRetriedCreateRefusedOverAnotherWritersBytesLost() {
        writes.create(key, THEIRS).orElseThrow();
        // The first attempt never reaches S3; the retry finds the other writer's object.
        proxy.arm(Rule.put(key).answer(503));

        assertThat(writes.create(key, OURS)).isEmpty();

        assertThat(proxy.log("PUT", key))
                .extracting(Exchange::fate, Exchange::status)
                .endsWith(tuple(INJECTED, 503), tuple(FORWARDED, 412));
        assertThat(proxy.log("GET", key))
                .as("the retried refusal was looked into")
                .hasSize(1);
        assertThat(writes.read(key).orElseThrow().body()).isEqualTo(THEIRS);
    }

    @Test
    void aRetriedReplaceRefusedOverAnotherWritersBytesLost() {
        String first = writes.create(key, json("{\"writer\":\"nobody yet\"}")).orElseThrow();
        String theirs = writes.replace(key, THEIRS, first).orElseThrow();
        proxy.arm(Rule.put(key).answer(503));

        assertThat(writes.replace(key, OURS, first)).isEmpty();

        assertThat(proxy.log("PUT", key))
                .extracting(Exchange::fate, Exchange::status)
                .endsWith(tuple(INJECTED, 503), tuple(FORWARDED, 412));
        assertThat(writes.read(key).orElseThrow()).satisfies(found -> {
            assertThat(found.body()).isEqualTo(THEIRS);
            assertThat(found.version()).isEqualTo(theirs);
        });
    }

    @Test
    void aFirstAttemptThatFailsItsConditionLostARealRaceEvenOverTheSameBytes() {
        writes.create(key, OURS).orElseThrow();
        proxy.reset();

        assertThat(writes.create(key, OURS)).isEmpty();

        assertThat(proxy.log("PUT", key))
                .extracting(Exchange::fate, Exchange::status)
                .containsExactly(tuple(FORWARDED, 412));
        assertThat(proxy.log("GET", key))
                .as("a first refusal is not looked into")
                .isEmpty();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
