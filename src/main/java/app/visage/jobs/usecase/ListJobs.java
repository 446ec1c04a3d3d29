package app.visage.jobs.usecase;

import app.visage.jobs.model.IndexedJob;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.port.JobIndex;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * GET /v1/jobs: the tenant's jobs, newest first, read from its index ({@link JobIndex}) page by page and each
 * record read for its view; the filters apply to the records read. The work per call is bounded: at most {@link
 * #MOST_READ} records are read, so a page may hold fewer jobs than asked (none, when a filter matches rarely), and its
 * cursor then goes on from the last one read. A time bound needs no reads: the index is ordered by creation time.
 */
@ApplicationScoped
public class ListJobs {
    /** Records read per call at most (each a GET): with a filter that matches rarely, the page stops there. */
    public static final int MOST_READ = 200;

    private final JobIndex index;
    private final JobRecords records;
    private final OutputLinks links;
    private final QueuePositions positions;

    public ListJobs(JobIndex index, JobRecords records, OutputLinks links, QueuePositions positions) {
        this.index = index;
        this.records = records;
        this.links = links;
        this.positions = positions;
    }

    /**
     * What to list: {@code limit} jobs after {@code cursor} (a position; null: from the newest), each filter null
     * when not asked; {@code createdAfter} and {@code createdBefore} are exclusive.
     */
    public record Query(
            int limit,
            IndexedJob cursor,
            JobStatus status,
            Operation operation,
            String provider,
            Instant createdAfter,
            Instant createdBefore) {

        boolean matches(Job job) {
            return (status == null || job.status() == status)
                    && (operation == null || job.operation() == operation)
                    && (provider == null || provider.equals(job.provider()))
                    && (createdAfter == null || job.createdAt().isAfter(createdAfter))
                    && (createdBefore == null || job.createdAt().isBefore(createdBefore));
        }

        /** Where the listing starts: after the cursor, or past every job created after {@code createdBefore}. */
        String start() {
            String fromCursor = cursor == null ? null : cursor.position();
            String fromTime = createdBefore == null ? null : IndexedJob.before(createdBefore);
            if (fromCursor == null || fromTime == null) {
                return fromCursor != null ? fromCursor : fromTime;
            }
            return fromCursor.compareTo(fromTime) > 0 ? fromCursor : fromTime;
        }

        /** Whether the index holds nothing this query wants from {@code position} on (it is older than the bound). */
        boolean pastTheEnd(IndexedJob position) {
            // The position keeps microseconds: its job was created at most 999 ns after what it says.
            return createdAfter != null && !position.createdAt().plusNanos(999).isAfter(createdAfter);
        }
    }

    /** A page: the jobs shown, and the position to go on from (null: nothing more). */
    public record Listing(List<ShownJob> jobs, IndexedJob next) {}

    public Listing list(Tenant tenant, Query query) {
        QueuePositions.Lookup lines = positions.lookup();
        List<ShownJob> shown = new ArrayList<>();
        String after = query.start();
        int read = 0;
        while (true) {
            JobIndex.Page page = index.page(tenant, after, MOST_READ - read);
            List<IndexedJob> jobs = page.jobs();
            for (int i = 0; i < jobs.size(); i++) {
                IndexedJob position = jobs.get(i);
                if (query.pastTheEnd(position)) {
                    return new Listing(shown, null);
                }
                read++;
                Optional<Job> job = records.find(position.id())
                        .filter(tenant::owns)
                        .filter(position::isOf)
                        .filter(query::matches);
                job.ifPresent(j -> shown.add(links.shown(j).withQueuePosition(lines.of(j))));
                boolean more = i < jobs.size() - 1 || page.more();
                if (shown.size() == query.limit() || read == MOST_READ) {
                    return new Listing(shown, more ? position : null);
                }
            }
            if (!page.more() || jobs.isEmpty()) {
                return new Listing(shown, null);
            }
            after = jobs.getLast().position();
        }
    }
}
