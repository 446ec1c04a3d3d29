package app.visage.storage.memory;

import app.visage.jobs.model.BucketLayout;
import app.visage.jobs.model.IndexedJob;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.model.Work;
import app.visage.jobs.port.DueIndex;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.JobIndex;
import app.visage.jobs.port.JobStore;
import app.visage.jobs.port.QuotaStore;
import app.visage.jobs.port.SlotStore;
import app.visage.messages.UnreadableMessage;
import app.visage.messages.WorkMessages;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The bucket in memory, behind the same ports as the S3 adapters (job records, files, provider slots, the due-work
 * index, the tenants' job indexes), with
 * what the core relies on S3 for: an etag per object version, conditional create and replace, listing in key
 * order. For the core's fast tests only; the S3 adapters are tested against the embedded S3.
 *
 * <p>Faults the S3 tests inject through a proxy can be injected here by key: a write refused before it is
 * made, or made with its answer lost (the caller sees a failure, the object is written). Races are set up
 * by the callers' own hooks (a scripted provider's answer, a download), which act at an exact point.
 */
public final class MemoryBucket implements JobStore, FileStore, SlotStore, DueIndex, JobIndex, QuotaStore {
    private final Clock clock;
    private final TreeMap<String, Entry> objects = new TreeMap<>();
    private final AtomicLong versions = new AtomicLong();
    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, Integer> requests = new TreeMap<>();
    private final List<Hook> hooks = new ArrayList<>();

    public MemoryBucket(Clock clock) {
        this.clock = clock;
    }

    private record Entry(Object value, String contentType, String etag, Instant lastModified) {}

    /** What a fault does to the next matching write. */
    public enum FaultKind {
        /** The write is refused (a 500): nothing is written. */
        REFUSE,
        /** The write is made but its answer is lost: the caller sees a failure. */
        LOSE_ANSWER
    }

    private record Fault(Predicate<String> key, FaultKind kind) {}

    private record Hook(Predicate<String> key, Runnable action) {}

    /** Runs {@code action} once, just before the next write to a key that {@code key} accepts: a race, set up. */
    public synchronized void beforeWrite(Predicate<String> key, Runnable action) {
        hooks.add(new Hook(key, action));
    }

    /** The next write to a key that {@code key} accepts fails as {@code kind}. */
    public synchronized void failNextWrite(Predicate<String> key, FaultKind kind) {
        faults.add(new Fault(key, kind));
    }

    /** Requests made so far, by kind ({@code GET jobs/}, {@code PUT outputs/}…), for budgets. */
    public synchronized Map<String, Integer> requests() {
        return Map.copyOf(requests);
    }

    public synchronized List<String> keys(String prefix) {
        return objects.subMap(prefix, prefix + Character.MAX_VALUE).keySet().stream()
                .toList();
    }

    // --- the write path every port shares ---

    private void count(String method, String key) {
        String prefix =
                BucketLayout.ALL.stream().filter(key::startsWith).findFirst().orElse("");
        requests.merge(method + " " + prefix, 1, Integer::sum);
    }

    /** Writes {@code value} at {@code key} if {@code expected} holds (null: absent; "*": any); answers the etag. */
    private synchronized Optional<String> write(String key, Object value, String contentType, String expected) {
        hooks.stream().filter(h -> h.key().test(key)).findFirst().ifPresent(hook -> {
            hooks.remove(hook);
            hook.action().run();
        });
        count("PUT", key);
        Fault fault = takeFault(key);
        if (fault != null && fault.kind() == FaultKind.REFUSE) {
            throw new IllegalStateException("injected: write refused at " + key);
        }
        Entry current = objects.get(key);
        boolean matches = "*".equals(expected)
                || expected == null && current == null
                || current != null && current.etag().equals(expected);
        if (!matches) {
            return Optional.empty();
        }
        String etag = "\"v" + versions.incrementAndGet() + "\"";
        objects.put(key, new Entry(value, contentType, etag, clock.instant()));
        if (fault != null) {
            throw new IllegalStateException("injected: the answer to a write at " + key + " was lost");
        }
        return Optional.of(etag);
    }

    private Fault takeFault(String key) {
        for (Fault fault : faults) {
            if (fault.key().test(key)) {
                faults.remove(fault);
                return fault;
            }
        }
        return null;
    }

    private synchronized Optional<Entry> read(String key) {
        count("GET", key);
        return Optional.ofNullable(objects.get(key));
    }

    // --- JobStore ---

    private static String jobKey(JobId id) {
        return BucketLayout.JOBS + id.value() + ".json";
    }

    @Override
    public String create(Job job) {
        return write(jobKey(job.id()), job, "application/json", null).orElseThrow(() -> new AlreadyExists(job.id()));
    }

    @Override
    public Optional<Versioned> find(JobId id) {
        return read(jobKey(id)).map(e -> new Versioned((Job) e.value(), e.etag()));
    }

    @Override
    public Optional<String> replace(Job job, String version) {
        return write(jobKey(job.id()), job, "application/json", version);
    }

    /** Like S3's ListObjectsV2: {@code startAfter} and the next page's mark are keys. */
    @Override
    public synchronized JobStore.Page list(String startAfter, int max) {
        count("LIST", BucketLayout.JOBS);
        List<String> keys =
                objects.tailMap(startAfter == null ? BucketLayout.JOBS : startAfter, false).keySet().stream()
                        .takeWhile(k -> k.startsWith(BucketLayout.JOBS))
                        .limit(max + 1L)
                        .toList();
        List<String> page = keys.size() > max ? keys.subList(0, max) : keys;
        List<JobId> ids = page.stream()
                .map(k -> JobId.of(k.substring(BucketLayout.JOBS.length(), k.length() - ".json".length())))
                .toList();
        return new JobStore.Page(ids, keys.size() > max ? page.getLast() : null);
    }

    // --- FileStore ---

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        write(key, bytes.clone(), contentType, "*");
    }

    @Override
    public Optional<byte[]> get(String key) {
        return read(key).map(e -> ((byte[]) e.value()).clone());
    }

    @Override
    public Optional<byte[]> getAtMost(String key, long maxBytes) {
        return get(key).map(b -> b.length > maxBytes ? Arrays.copyOf(b, (int) maxBytes + 1) : b);
    }

    @Override
    public synchronized void delete(List<String> keys) {
        for (String key : keys) {
            count("DELETE", key);
            objects.remove(key);
        }
    }

    @Override
    public synchronized List<ObjectInfo> list(String prefix) {
        count("LIST", prefix);
        return objects.subMap(prefix, prefix + Character.MAX_VALUE).entrySet().stream()
                .map(e -> new ObjectInfo(
                        e.getKey(), size(e.getValue()), e.getValue().lastModified()))
                .toList();
    }

    private static long size(Entry entry) {
        return entry.value() instanceof byte[] bytes ? bytes.length : 1;
    }

    @Override
    public URI presignGet(String key, Duration validity) {
        return URI.create("memory://bucket/" + key + "?expires="
                + clock.instant().plus(validity).getEpochSecond());
    }

    /** The form's terms as plain fields, for the core's tests to read; the embedded S3 tests check real forms. */
    @Override
    public UploadForm presignPost(String key, String contentType, long maxBytes, Instant signedAt, Instant expiresAt) {
        return new UploadForm(
                URI.create("memory://bucket/"),
                Map.of(
                        "key",
                        key,
                        "Content-Type",
                        contentType,
                        "content-length-range",
                        "1," + maxBytes,
                        "expiration",
                        expiresAt.toString()));
    }

    // --- SlotStore ---

    private static String slotKey(String provider, int n) {
        return BucketLayout.SLOTS + provider + "/" + n + ".json";
    }

    /** A slot's holder: a record, since a free slot has none. */
    private record Holder(JobId job) {}

    @Override
    public Optional<Slot> read(String provider, int n) {
        return read(slotKey(provider, n)).map(e -> new Slot(((Holder) e.value()).job(), e.etag()));
    }

    @Override
    public boolean create(String provider, int n, JobId holder) {
        return write(slotKey(provider, n), new Holder(holder), "application/json", null)
                .isPresent();
    }

    @Override
    public boolean replace(String provider, int n, JobId holder, String version) {
        return write(slotKey(provider, n), new Holder(holder), "application/json", version)
                .isPresent();
    }

    // --- QuotaStore ---

    private record QuotaHolder(JobId job, Instant since) {}

    @Override
    public Optional<Hold> readSlot(Tenant tenant, int n) {
        return read(Keys.quotaSlot(tenant, n)).map(e -> {
            QuotaHolder holder = (QuotaHolder) e.value();
            return new Hold(holder.job(), holder.since(), e.etag());
        });
    }

    @Override
    public boolean createSlot(Tenant tenant, int n, JobId holder, Instant since) {
        return write(Keys.quotaSlot(tenant, n), new QuotaHolder(holder, since), "application/json", null)
                .isPresent();
    }

    @Override
    public boolean replaceSlot(Tenant tenant, int n, JobId holder, Instant since, String version) {
        return write(Keys.quotaSlot(tenant, n), new QuotaHolder(holder, since), "application/json", version)
                .isPresent();
    }

    @Override
    public Optional<Count> readDay(Tenant tenant, LocalDate day) {
        return read(Keys.quotaDay(tenant, day)).map(e -> new Count((Integer) e.value(), e.etag()));
    }

    @Override
    public boolean createDay(Tenant tenant, LocalDate day, int jobs) {
        return write(Keys.quotaDay(tenant, day), jobs, "application/json", null).isPresent();
    }

    @Override
    public boolean replaceDay(Tenant tenant, LocalDate day, int jobs, String version) {
        return write(Keys.quotaDay(tenant, day), jobs, "application/json", version)
                .isPresent();
    }

    // --- DueIndex: markers are files holding the work's message, read back as S3DueIndex reads them ---

    @Override
    public void add(Work work) {
        put(Keys.due(work), WorkMessages.encode(work).getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Like S3DueIndex: pages of at most 1,000 keys from the start of {@code due/}, up to the first not yet due. */
    @Override
    public List<Marker> dueBy(Instant until, int max) {
        String notYetDue = Keys.dueMinute(until.plus(Duration.ofMinutes(1)));
        int page = Math.min(max, 1000);
        List<String> keys;
        synchronized (this) {
            keys = objects.tailMap(BucketLayout.DUE).keySet().stream()
                    .takeWhile(k -> k.startsWith(BucketLayout.DUE))
                    .toList();
        }
        List<Marker> due = new ArrayList<>();
        for (int i = 0; due.size() < max; i++) {
            if (i % page == 0 && (i == 0 || i < keys.size())) { // the first page, and each further one S3 has
                synchronized (this) {
                    count("LIST", BucketLayout.DUE);
                }
            }
            if (i == keys.size() || keys.get(i).compareTo(notYetDue) >= 0) {
                break;
            }
            String key = keys.get(i);
            get(key).ifPresent(bytes -> {
                try {
                    due.add(new Marker(key, WorkMessages.decode(new String(bytes, StandardCharsets.UTF_8))));
                } catch (UnreadableMessage e) {
                    if (!e.newer()) {
                        due.add(new Marker(key, null));
                    }
                }
            });
        }
        return due;
    }

    @Override
    public void remove(List<Marker> markers) {
        delete(markers.stream().map(Marker::key).toList());
    }

    // --- JobIndex: empty markers, listed as S3JobIndex lists them ---

    private static String indexKey(Job job) {
        return Keys.indexed(new Tenant(job.tenant()), IndexedJob.of(job.createdAt(), job.id()));
    }

    @Override
    public void add(Job job) {
        put(indexKey(job), new byte[0], "application/json");
    }

    @Override
    public void remove(Job job) {
        delete(List.of(indexKey(job)));
    }

    /** Like ListObjectsV2 with StartAfter: at most {@code max} keys (1,000 at most), and whether more follow. */
    @Override
    public synchronized JobIndex.Page page(Tenant tenant, String after, int max) {
        String prefix = Keys.tenantJobs(tenant);
        count("LIST", prefix);
        List<String> keys = objects.tailMap(after == null ? prefix : prefix + after + ".json", false).keySet().stream()
                .takeWhile(k -> k.startsWith(prefix))
                .limit(Math.min(max, 1000) + 1L)
                .toList();
        int shown = Math.min(keys.size(), Math.min(max, 1000));
        List<IndexedJob> jobs = keys.subList(0, shown).stream()
                .map(k -> IndexedJob.parse(k.substring(prefix.length(), k.length() - ".json".length())))
                .flatMap(Optional::stream)
                .toList();
        return new JobIndex.Page(jobs, keys.size() > shown);
    }
}
