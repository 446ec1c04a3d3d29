package app.visage.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.config.VisageConfig;
import app.visage.emulators.EmulatorServer.Recorded;
import app.visage.emulators.fashn.FashnEmulator;
import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Dispatch;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.port.JobStore;
import app.visage.local.LocalHttpServer;
import app.visage.pipeline.WebhookRelay.Relayed;
import app.visage.support.Bucket;
import app.visage.support.LocalApi;
import app.visage.support.ProviderEmulators;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The work queue's promises, timed end to end in local mode on the real embedded queue, with the cleanup timer at
 * 15 minutes and no status call anywhere: what moves a job is the queue alone. A job's state is read from its
 * record in the bucket (the job store), never through {@code GET /v1/jobs/{id}}, whose call could poll the provider.
 * Each test prints what it measured, prefixed {@code [timing]}.
 */
@QuarkusTest
@TestProfile(PipelineTimingProfile.class)
class PipelineTimingTest {
    /** Room for a loaded two-core machine on top of each promised time. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    @Inject
    LocalHttpServer server;

    @Inject
    JobStore store;

    @Inject
    Bucket bucket;

    @Inject
    VisageConfig config;

    private final ModelsLabEmulator modelslab = ProviderEmulators.modelslab();
    private final FashnEmulator fashn = ProviderEmulators.fashn();
    private final WebhookRelay relay = PipelineTimingProfile.Emulators.relay();
    private HttpServer receiver;

    @BeforeEach
    void reset() {
        modelslab.reset();
        fashn.reset();
        relay.clear();
    }

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aJobWhoseWebhookNeverComesIsFetchedAndFinishedWithinItsEtaPlusThePollInterval() {
        modelslab.processingTime(Duration.ofSeconds(2)); // the emulator answers eta 2 (seconds, rounded up)
        modelslab.nextSubmit(ModelsLabEmulator.Script.dropWebhook());
        Instant submitted = Instant.now();
        String id = submit(LocalApi.jobRequest(
                "head_shot",
                "modelslab",
                "astronaut.jpg",
                Map.of("params", Map.of("prompt", "studio portrait", "width", 384, "height", 512))));

        Job done = awaitRecord(
                id, "the job's end", Duration.ofSeconds(30), j -> j.status().isTerminal());

        Dispatch dispatch = done.dispatch();
        Duration eta = Duration.between(dispatch.acceptedAt(), dispatch.eta());
        Duration took = Duration.between(submitted, done.updatedAt());
        Duration bound = eta.plus(config.pollInterval());
        report(
                "webhook never comes: eta %s, poll interval %s; succeeded %s after submit (bound %s + %s slack),"
                        + " %s after acceptance; %d fetch call(s)",
                eta,
                config.pollInterval(),
                took,
                bound,
                SLACK,
                Duration.between(dispatch.acceptedAt(), done.updatedAt()),
                modelslab.fetchCalls().size());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(eta).isEqualTo(Duration.ofSeconds(2));
        assertThat(took).isLessThanOrEqualTo(bound.plus(SLACK));
        assertThat(modelslab.generationCalls()).hasSize(1);
        assertThat(modelslab.deliveries()).isEmpty();
        assertThat(modelslab.fetchCalls())
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.path()).startsWith("/api/v6/image_editing/fetch/"));
        assertThat(done.outputs()).hasSize(1);
        assertThat(bucket.bytes(done.outputs().get(0).key()))
                .isEqualTo(modelslab.outputsFor(id).get(0));
    }

    @Test
    void aJobWaitingForASlotStartsWithinSecondsOfOneFreeing() {
        fashn.processingTime(Duration.ofMillis(1500));
        // The worker starts both (only the built-in engine starts inline): whichever takes the one slot runs, the
        // other joins the line.
        List<String> ids = List.of(submitFashn(), submitFashn());
        awaitInstant(
                "one job at FASHN and the other in line",
                Duration.ofSeconds(20),
                () -> fashn.runCalls().size() == 1 && ids.stream().anyMatch(id -> waitsInLine(record(id))));
        String first = runCallsFor(ids.get(0)).isEmpty() ? ids.get(1) : ids.get(0);
        String second = first.equals(ids.get(0)) ? ids.get(1) : ids.get(0);
        Job waiting = record(second);
        assertThat(waitsInLine(waiting)).isTrue();
        assertThat(waiting.dispatch().retryAt())
                .as("the back-stop of a job in line is far off: only the freed slot can start it this soon")
                .isAfter(Instant.now().plusSeconds(20));
        assertThat(bucket.keys("slots/fashn/line/")).hasSize(1);
        assertThat(runCallsFor(second)).isEmpty();

        Instant started = awaitInstant(
                "the second job's run call",
                Duration.ofSeconds(30),
                () -> !runCallsFor(second).isEmpty());
        Job firstDone = record(first);
        Duration gap = Duration.between(firstDone.updatedAt(), started);
        Job secondDone = awaitRecord(
                second,
                "the second job's end",
                Duration.ofSeconds(30),
                j -> j.status().isTerminal());

        report(
                "slot freed: first job ended %s after its acceptance; second job's run call %s after that"
                        + " (bound 2 s), %s after its own submit",
                Duration.between(firstDone.dispatch().acceptedAt(), firstDone.updatedAt()),
                gap,
                Duration.between(waiting.createdAt(), started));
        assertThat(firstDone.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(gap).isBetween(Duration.ZERO, Duration.ofSeconds(2));
        assertThat(secondDone.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(runCallsFor(first)).hasSize(1);
        assertThat(runCallsFor(second)).hasSize(1);
        assertThat(bucket.keys("slots/fashn/line/")).isEmpty();
        for (String id : List.of(first, second)) {
            Job job = record(id);
            assertThat(job.outputs()).hasSize(1);
            assertThat(bucket.bytes(job.outputs().get(0).key()))
                    .isEqualTo(fashn.outputsFor(id).get(0));
        }
    }

    @Test
    void aClientWebhookAnswered500IsRetriedOnItsFiveSecondStep() throws IOException {
        List<Delivery> received = new CopyOnWriteArrayList<>();
        Deque<Integer> answers = new ArrayDeque<>(List.of(500, 200));
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hooks", exchange -> {
            Instant at = Instant.now();
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            received.add(new Delivery(
                    at, headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Integer status;
            synchronized (answers) {
                status = answers.isEmpty() ? 200 : answers.poll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";

        Instant submitted = Instant.now();
        String id = submit(LocalApi.jobRequest("head_shot", "local", "astronaut.jpg", Map.of("webhook", hook)));

        awaitInstant("two deliveries", Duration.ofSeconds(60), () -> received.size() >= 2);
        Job job = awaitRecord(
                id,
                "the delivery recorded",
                Duration.ofSeconds(10),
                j -> !j.clientWebhooks().isEmpty()
                        && j.clientWebhooks().getLast().finished());

        Delivery first = received.get(0);
        Delivery second = received.get(1);
        Duration retry = Duration.between(first.at(), second.at());
        report(
                "client webhook: first attempt %s after submit, answered 500; retry %s later (bound 4-15 s),"
                        + " %s after submit",
                Duration.between(submitted, first.at()), retry, Duration.between(submitted, second.at()));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(retry).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(15));
        assertThat(Duration.between(submitted, second.at())).isLessThan(Duration.ofMinutes(1));
        assertThat(received).hasSize(2);
        ClientWebhook message = job.clientWebhooks().getLast();
        assertThat(message.state()).isEqualTo("delivered");
        assertThat(message.attempts())
                .as("the attempts' answers as recorded (a null status lost the answer: %s)", message.attempts())
                .extracting(ClientWebhook.Attempt::status)
                .containsExactly(500, 200);
        assertThat(received)
                .extracting(d -> d.headers().get("webhook-id").get(0))
                .containsOnly("msg_" + id);
        for (Delivery d : received) {
            assertThat(d.body()).contains("\"job.succeeded\"");
            try {
                new Webhook(PipelineTimingProfile.WEBHOOK_SECRET).verify(d.body(), d.headers());
            } catch (Exception e) {
                throw new AssertionError("a delivery's signature does not verify", e);
            }
        }
    }

    @Test
    void aProviderWebhookIsAnsweredAtOnceWhileItsOutputsTakeSixSecondsToDownload() {
        fashn.processingTime(Duration.ofMillis(300));
        fashn.downloadTime(Duration.ofSeconds(6));
        String id = submitFashn();

        Job done = awaitRecord(
                id, "the job's end", Duration.ofSeconds(40), j -> j.status().isTerminal());

        List<Relayed> webhooks = relay.relayed("/v1/provider-webhooks/fashn/" + id);
        assertThat(webhooks).hasSize(1);
        Relayed webhook = webhooks.get(0);
        Duration answerToEnd = Duration.between(webhook.answeredAt(), done.updatedAt());
        report(
                "provider webhook: answered %d in %s; job succeeded %s after the answer, %s after acceptance;"
                        + " %d status call(s), %d output download(s)",
                webhook.status(),
                webhook.answeredIn(),
                answerToEnd,
                Duration.between(done.dispatch().acceptedAt(), done.updatedAt()),
                fashn.statusCalls().size(),
                fashn.requests("/cdn/").size());
        assertThat(webhook.status()).isEqualTo(200);
        assertThat(webhook.answeredIn()).isLessThan(Duration.ofSeconds(1));
        assertThat(fashn.deliveries())
                .hasSize(1)
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(200));
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(answerToEnd)
                .as("the outputs were still downloading when the webhook was answered")
                .isGreaterThan(Duration.ofSeconds(5));
        assertThat(fashn.runCalls()).hasSize(1);
        assertThat(fashn.statusCalls()).isNotEmpty();
        assertThat(fashn.requests("/cdn/")).isNotEmpty();
        assertThat(done.outputs()).hasSize(1);
        assertThat(bucket.bytes(done.outputs().get(0).key()))
                .isEqualTo(fashn.outputsFor(id).get(0));
    }

    private record Delivery(Instant at, Map<String, List<String>> headers, String body) {}

    private String submit(Map<String, Object> body) {
        return LocalApi.submit(server, body);
    }

    private String submitFashn() {
        Map<String, Object> params =
                new HashMap<>(Map.of("prompt", "standing, casual clothes", "output_format", "png"));
        return submit(LocalApi.jobRequest("face_to_model", "fashn", "astronaut.jpg", Map.of("params", params)));
    }

    /** Queued with its photo, tried and found no slot: waiting in line until a slot frees, or its back-stop. */
    private static boolean waitsInLine(Job job) {
        return job.status() == JobStatus.QUEUED
                && !job.dispatch().claimed()
                && job.dispatch().retryAt() != null;
    }

    /** The run calls made for one Visage job (its id is in the webhook URL). */
    private List<Recorded> runCallsFor(String id) {
        return fashn.runCalls().stream()
                .filter(c -> c.queryParam("webhook_url").contains(id))
                .toList();
    }

    /** The job's record as stored, read from the bucket without the API (and without polling anyone). */
    private Job record(String id) {
        return store.find(JobId.of(id))
                .orElseThrow(() -> new AssertionError("no record for " + id))
                .job();
    }

    private Job awaitRecord(String id, String what, Duration within, Predicate<Job> condition) {
        Job[] seen = new Job[1];
        awaitInstant(what + " of " + id, within, () -> condition.test(seen[0] = record(id)));
        return seen[0];
    }

    /** Waits until {@code condition} holds, checking every few milliseconds; answers when it was first seen to. */
    private static Instant awaitInstant(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within + " waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        return Instant.now();
    }

    private static void report(String format, Object... args) {
        System.out.println("[timing] " + String.format(Locale.ROOT, format, args));
    }
}
