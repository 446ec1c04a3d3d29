package app.visage.jobs.usecase;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Keys;
import app.visage.jobs.port.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A queued job's place in its provider's line for a slot ({@link ProviderSlots}), 1 for the next to start: one
 * listing of {@code slots/{provider}/line/} (a LIST per 1,000 waiting jobs), only for a queued job at a provider
 * with {@code max-in-flight}, and once per provider for a whole list of jobs. Places of jobs that stopped waiting
 * are only taken out when a slot frees, so the place may count a few of them: it is at most this.
 */
@ApplicationScoped
public class QueuePositions {
    private final Providers providers;
    private final ProviderSlots slots;

    public QueuePositions(Providers providers, ProviderSlots slots) {
        this.providers = providers;
        this.slots = slots;
    }

    /** Places for the jobs of one answer: each provider's line is read once. */
    public Lookup lookup() {
        return new Lookup();
    }

    public final class Lookup {
        private final Map<String, List<String>> lines = new HashMap<>();

        private Lookup() {}

        /** The job's 1-based place in its provider's line, or null when it waits in none. */
        public Integer of(Job job) {
            if (job.status() != JobStatus.QUEUED || job.input() == null) {
                return null;
            }
            Provider provider = providers.all().stream()
                    .filter(p -> p.id().equals(job.provider()))
                    .findFirst()
                    .orElse(null);
            if (provider == null || provider.maxInFlight() <= 0) {
                return null;
            }
            int at = lines.computeIfAbsent(provider.id(), id -> slots.line(provider))
                    .indexOf(Keys.inLine(provider.id(), job.createdAt(), job.id()));
            return at < 0 ? null : at + 1;
        }
    }
}
