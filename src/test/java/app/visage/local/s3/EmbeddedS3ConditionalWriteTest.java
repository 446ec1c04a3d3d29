package app.visage.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.local.s3.S3TestSupport.Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Races through real HTTP: every round must be exactly right, not just most of them. */
class EmbeddedS3ConditionalWriteTest {
    private static final String BUCKET = "visage-cas";
    private static final int THREADS = 8;
    private static final int ROUNDS = 20;

    @TempDir
    Path tempDir;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void ifNoneMatchStar_exactlyOneCreatorWins(Backend backend) throws Exception {
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, e -> {}).start();
                S3Client client = S3TestSupport.client(s3)) {
            for (int round = 0; round < ROUNDS; round++) {
                String key = "create/" + round;
                List<Integer> statuses = race(
                        THREADS,
                        writer -> status(() -> client.putObject(
                                r -> r.bucket(BUCKET).key(key).ifNoneMatch("*"),
                                RequestBody.fromString("writer " + writer))));

                assertThat(statuses).as("round %d", round).containsOnly(200, 412);
                assertThat(statuses)
                        .as("round %d", round)
                        .filteredOn(s -> s == 200)
                        .hasSize(1);
                String stored =
                        client.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String();
                assertThat(stored).as("round %d", round).startsWith("writer ");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void ifMatch_compareAndSwapCounterLosesNoIncrement(Backend backend) throws Exception {
        int attemptsPerThread = 2;
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, e -> {}).start();
                S3Client client = S3TestSupport.client(s3)) {
            for (int round = 0; round < ROUNDS; round++) {
                String key = "counter/" + round;
                client.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("0"));

                List<Integer> successes = race(THREADS, writer -> {
                    int won = 0;
                    for (int attempt = 0; attempt < attemptsPerThread; attempt++) {
                        ResponseBytes<GetObjectResponse> current =
                                client.getObjectAsBytes(r -> r.bucket(BUCKET).key(key));
                        int next = Integer.parseInt(current.asUtf8String()) + 1;
                        int status = status(() -> client.putObject(
                                r -> r.bucket(BUCKET)
                                        .key(key)
                                        .ifMatch(current.response().eTag()),
                                RequestBody.fromString(Integer.toString(next))));
                        assertThat(status).isIn(200, 409, 412);
                        if (status == 200) {
                            won++;
                        }
                    }
                    return won;
                });

                int total = successes.stream().mapToInt(Integer::intValue).sum();
                int finalValue = Integer.parseInt(
                        client.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String());
                assertThat(total).as("round %d: someone must win", round).isPositive();
                assertThat(finalValue)
                        .as("round %d: counter vs successful increments", round)
                        .isEqualTo(total);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void ifMatch_writersWithTheSameETagHaveExactlyOneWinner(Backend backend) throws Exception {
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, e -> {}).start();
                S3Client client = S3TestSupport.client(s3)) {
            for (int round = 0; round < ROUNDS; round++) {
                String key = "stale/" + round;
                String eTag = client.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("v0"))
                        .eTag();

                // Distinct bodies, so a second success could not hide behind an identical ETag.
                List<Integer> statuses = race(
                        2,
                        writer -> status(() -> client.putObject(
                                r -> r.bucket(BUCKET).key(key).ifMatch(eTag),
                                RequestBody.fromString("v1 from writer " + writer))));

                assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(200, 412);
                assertThat(client.getObjectAsBytes(r -> r.bucket(BUCKET).key(key))
                                .asUtf8String())
                        .as("round %d", round)
                        .startsWith("v1 from writer ");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void failedConditionsAnswerWithS3Errors(Backend backend) {
        try (EmbeddedS3 s3 = backend.create(tempDir, BUCKET, e -> {}).start();
                S3Client client = S3TestSupport.client(s3)) {
            String eTag = client.putObject(r -> r.bucket(BUCKET).key("k"), RequestBody.fromString("one"))
                    .eTag();

            assertThatThrownBy(() -> client.putObject(
                            r -> r.bucket(BUCKET).key("k").ifNoneMatch("*"), RequestBody.fromString("two")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(412);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                    });
            assertThatThrownBy(() -> client.putObject(
                            r -> r.bucket(BUCKET).key("k").ifMatch("\"0123\""), RequestBody.fromString("two")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            // S3 answers If-Match on a missing key with 404 NoSuchKey, not 412.
            assertThatThrownBy(() -> client.putObject(
                            r -> r.bucket(BUCKET).key("missing").ifMatch(eTag), RequestBody.fromString("two")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
            assertThat(client.getObjectAsBytes(r -> r.bucket(BUCKET).key("k")).asUtf8String())
                    .isEqualTo("one");

            client.putObject(r -> r.bucket(BUCKET).key("k").ifMatch(eTag), RequestBody.fromString("three"));
            assertThat(client.getObjectAsBytes(r -> r.bucket(BUCKET).key("k")).asUtf8String())
                    .isEqualTo("three");
        }
    }

    /** Runs {@code writers} tasks released together by a barrier; returns their results in order. */
    private <T> List<T> race(int writers, Writer<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int writer = i;
            Callable<T> call = () -> {
                start.await(10, TimeUnit.SECONDS);
                return task.run(writer);
            };
            futures.add(pool.submit(call));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    @FunctionalInterface
    private interface Writer<T> {
        T run(int writer) throws Exception;
    }

    private static int status(Runnable request) {
        try {
            request.run();
            return 200;
        } catch (S3Exception e) {
            return e.statusCode();
        }
    }
}
