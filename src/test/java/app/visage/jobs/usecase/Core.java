package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.images.ImageInspector;
import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.ClientWebhookSender;
import app.visage.jobs.port.Metrics;
import app.visage.jobs.port.OutputDownloads;
import app.visage.jobs.port.Provider;
import app.visage.metrics.EmfMetrics;
import app.visage.queue.memory.MemoryWorkQueue;
import app.visage.storage.memory.MemoryBucket;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * The job core wired by hand on the in-memory bucket and work queue, for its fast tests: no Quarkus, no S3, no
 * queue server, no network, and a clock that moves only when a test moves it. The provider is scripted, outputs
 * are downloaded from a map, and client webhooks are recorded. {@link #runDueWork} is the worker and the cleanup.
 */
final class Core {
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    final ManualClock clock = new ManualClock(T0);
    final MemoryBucket bucket = new MemoryBucket(clock);
    final VisageConfig config = config(Map.of());
    final ScriptedProvider provider;
    final Downloads downloads = new Downloads();
    final Webhooks webhooks = new Webhooks();
    final MemoryWorkQueue queue = new MemoryWorkQueue(clock);
    final WorkSchedule schedule = new WorkSchedule(queue, bucket, config, clock);
    /** The metrics' EMF lines, as the real adapter writes them. */
    final List<String> metricLines = new CopyOnWriteArrayList<>();

    final Metrics metrics = new EmfMetrics(metricLines::add, clock);
    final JobRecords records = new JobRecords(bucket, bucket, schedule, metrics);
    final ProviderSlots slots = new ProviderSlots(bucket, bucket, records, schedule, clock);
    final ImageInspector inspector = new ImageInspector();
    final Providers providers;
    final CopyOutputs copier = new CopyOutputs(bucket, downloads, inspector, config);
    final ProviderOutcomes outcomes = new ProviderOutcomes(records, copier, slots, config, clock);
    final OutputLinks links = new OutputLinks(bucket, config, clock);
    final NotifyClient notifier = new NotifyClient(records, webhooks, links, metrics, clock);
    final PollJob poller;
    final RunJob runner;
    final FindJob finder;
    final CancelJob canceler;
    final TendJob tender;
    final DoWork worker;
    final SendDueWork cleanup = new SendDueWork(bucket, queue, clock);
    final SubmitJob submitter;
    final CreateUpload uploads;
    final StartUploadedJob uploaded;
    final QueuePositions positions;
    final ListJobs lister;

    Core() {
        this(new ScriptedProvider(0, false));
    }

    /** With {@code provider} first and {@code others} beside it (to fall back on). */
    Core(ScriptedProvider provider, ScriptedProvider... others) {
        this.provider = provider;
        List<Provider> all = new ArrayList<>(List.of(provider));
        all.addAll(List.of(others));
        providers = new Providers(all, config);
        poller = new PollJob(records, providers, outcomes, config, metrics, clock);
        runner = new RunJob(
                records,
                bucket,
                providers,
                slots,
                outcomes,
                inspector,
                new ProviderWebhooks(config, providers),
                config,
                metrics,
                clock);
        finder = new FindJob(records);
        canceler = new CancelJob(records, finder, links, providers, slots, clock);
        tender = new TendJob(records, bucket, runner, poller, providers, slots, notifier, schedule, config, clock);
        worker = new DoWork(
                tender, new ConfirmWebhook(records, poller), new StartNextInLine(providers, slots, records, runner));
        submitter = new SubmitJob(records, bucket, runner, schedule, config, clock);
        uploads = new CreateUpload(records, bucket, config, clock);
        uploaded = new StartUploadedJob(records, bucket, runner, providers, inspector, config, clock);
        positions = new QueuePositions(providers, slots);
        lister = new ListJobs(bucket, records, links, positions);
    }

    /**
     * Everything due by the clock's time: the cleanup moves near markers to the queue, and the worker handles
     * every visible message (and what they send with no delay) until none is left. Answers how many it handled.
     */
    int runDueWork() {
        int handled = 0;
        cleanup.send();
        for (var message = queue.receive(); message.isPresent(); message = queue.receive()) {
            worker.handle(message.get().work(), 1);
            handled++;
        }
        return handled;
    }

    /** Visage's settings as the application reads them, from their defaults and {@code overrides}. */
    static VisageConfig config(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        for (String p : List.of("modelslab", "modelslab-enterprise", "modelslab-face-gen", "fashn", "metahuman")) {
            properties.put("visage.providers." + p + ".base-url", "http://127.0.0.1:9");
        }
        properties.put("visage.public-base-url", "https://visage.example");
        properties.putAll(overrides);
        return new SmallRyeConfigBuilder()
                .withMapping(VisageConfig.class)
                .withSources(new PropertiesConfigSource(properties, "core-test", 500))
                .build()
                .getConfigMapping(VisageConfig.class);
    }

    /** A queued job of the scripted provider with its photo in place (and a client webhook if {@code webhook}). */
    Job queuedJob(String webhook) {
        return queuedJob(webhook, List.of());
    }

    /** The same, to be tried at {@code fallbacks} in turn if the scripted provider refuses it. */
    Job queuedJob(String webhook, List<String> fallbacks) {
        JobId id = JobId.random();
        bucket.put(Keys.input(id, "png"), png(), "image/png");
        Job job = queued(id, new Tenant("acme"), Operation.HEAD_SHOT, provider.id(), webhook).toBuilder()
                .fallbacks(fallbacks)
                .build();
        records.create(job);
        return job;
    }

    /** A queued job recorded at the clock's time, with no webhook; its input is named but not stored. */
    Job recordedJob(JobId id, Tenant tenant, Operation operation, String provider) {
        Job job = queued(id, tenant, operation, provider, null);
        records.create(job);
        return job;
    }

    private Job queued(JobId id, Tenant tenant, Operation operation, String provider, String webhook) {
        return Job.queued(
                id,
                tenant,
                operation,
                provider,
                Params.fromStored(Map.of()),
                Map.of(),
                webhook == null ? null : URI.create(webhook),
                new StoredObject(Keys.input(id, "png"), "image/png", 10, 4, 4),
                null,
                clock.instant(),
                config.ttl());
    }

    Job stored(JobId id) {
        return records.find(id).orElseThrow();
    }

    /** A small real PNG, as a provider's output would be. */
    static byte[] png() {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 2, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A clock that moves only when told. */
    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * A provider that answers from a script: each start and fetch takes the next scripted answer (a function
     * of the call, so an answer can act first — a webhook arriving mid-call, a cancel), and counts the calls.
     */
    static class ScriptedProvider implements Provider {
        final Deque<Function<ProviderCall, ProviderOutcome>> starts = new ArrayDeque<>();
        final Deque<Function<String, ProviderOutcome>> fetches = new ArrayDeque<>();
        final AtomicInteger startCalls = new AtomicInteger();
        final AtomicInteger fetchCalls = new AtomicInteger();
        private final int maxInFlight;
        private final boolean restartable;

        private final String id;

        ScriptedProvider(int maxInFlight, boolean restartable) {
            this("scripted", maxInFlight, restartable);
        }

        ScriptedProvider(String id, int maxInFlight, boolean restartable) {
            this.id = id;
            this.maxInFlight = maxInFlight;
            this.restartable = restartable;
        }

        ScriptedProvider onStart(ProviderOutcome answer) {
            return onStart(call -> answer);
        }

        ScriptedProvider onStart(Function<ProviderCall, ProviderOutcome> answer) {
            starts.add(answer);
            return this;
        }

        ScriptedProvider onFetch(ProviderOutcome answer) {
            return onFetch(id -> answer);
        }

        ScriptedProvider onFetch(Function<String, ProviderOutcome> answer) {
            fetches.add(answer);
            return this;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Map<Operation, Set<Param>> operations() {
            return Map.of(Operation.HEAD_SHOT, Set.of());
        }

        @Override
        public int maxInFlight() {
            return maxInFlight;
        }

        @Override
        public boolean restartable() {
            return restartable;
        }

        @Override
        public ProviderOutcome start(ProviderCall call) {
            startCalls.incrementAndGet();
            Function<ProviderCall, ProviderOutcome> next = starts.poll();
            if (next == null) {
                throw new AssertionError("an unscripted start call for " + call.jobId());
            }
            return next.apply(call);
        }

        @Override
        public ProviderOutcome fetch(String providerJobId) {
            fetchCalls.incrementAndGet();
            Function<String, ProviderOutcome> next = fetches.poll();
            if (next == null) {
                throw new AssertionError("an unscripted fetch of " + providerJobId);
            }
            return next.apply(providerJobId);
        }
    }

    /** Outputs served by URL from a map; a hook may run before a download (a cancel mid-copy). */
    static final class Downloads implements OutputDownloads {
        final Map<URI, byte[]> served = new HashMap<>();
        Runnable beforeDownload = () -> {};

        URI serve(String name, byte[] bytes) {
            URI url = URI.create("https://cdn.provider.example/" + name);
            served.put(url, bytes);
            return url;
        }

        @Override
        public byte[] download(URI url, List<URI> origins) {
            beforeDownload.run();
            byte[] bytes = served.get(url);
            if (bytes == null) {
                throw new Rejected("not served: " + url);
            }
            return bytes.clone();
        }
    }

    /** Client webhooks: every send recorded, each answered with the next scripted status (200 when none). */
    static final class Webhooks implements ClientWebhookSender {
        final List<ClientWebhook> sent = new ArrayList<>();
        final Deque<Integer> answers = new ArrayDeque<>();

        @Override
        public synchronized Answer send(ShownJob job, ClientWebhook message, Instant timestamp) {
            sent.add(message);
            Integer status = answers.poll();
            if (status != null && status < 0) {
                throw new Undeliverable("connection refused");
            }
            return new Answer(status == null ? 200 : status, null);
        }
    }
}
