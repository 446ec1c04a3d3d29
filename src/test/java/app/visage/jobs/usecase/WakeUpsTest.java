package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.Tenant;
import app.visage.jobs.model.Work;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the worker is woken, on the in-memory bucket and queue: every write that moves a job's next step sends
 * its wake-up, near ones on the queue and far ones to the due-work index, and a wake-up that comes twice, early
 * or after a failure neither repeats a step nor loses one.
 */
class WakeUpsTest {

    @Test
    void aDuplicateWakeUpCallsTheProviderOnce() {
        Core core = new Core(new Core.ScriptedProvider(0, false).onStart(new ProviderOutcome.Pending("p-1", null)));
        Job job = core.queuedJob(null);
        Work wake = core.queue.receive().orElseThrow().work();

        core.worker.handle(wake, 1);
        core.worker.handle(wake, 1);

        assertThat(core.provider.startCalls).hasValue(1);
        assertThat(core.stored(job.id()).status()).isEqualTo(JobStatus.PROCESSING);
    }

    @Test
    void aQueueThatRefusesAWakeUpLeavesItInTheIndexForTheNextCleanup() {
        Core core = new Core(new Core.ScriptedProvider(0, false).onStart(new ProviderOutcome.Pending("p-1", null)));
        core.queue.failNextSends(1);

        Job job = core.queuedJob(null);

        assertThat(core.queue.pending()).isEmpty();
        assertThat(core.bucket.keys("due/")).hasSize(1);
        core.runDueWork();
        assertThat(core.stored(job.id()).status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(core.bucket.keys("due/")).isEmpty();
    }

    @Test
    void farTimersWaitInTheIndexAndTheCleanupReadsOnlyWhatIsDue() {
        Core core = new Core();
        core.provider.onStart(JobUseCasesTest.finishedWith(core, Core.png()));
        Job job = core.queuedJob(null);
        core.runDueWork();
        assertThat(core.stored(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(core.bucket.keys("due/"))
                .as("its expiry, a day off")
                .singleElement()
                .asString()
                .startsWith("due/202612041000/" + job.id());

        core.clock.advance(RunJob.CLAIM_LEASE);
        core.runDueWork(); // the start claim's own wake-up, which finds the job long started

        Map<String, Integer> before = core.bucket.requests();
        core.clock.advance(Duration.ofHours(23));
        assertThat(core.runDueWork()).isZero();
        assertThat(core.bucket.requests().get("LIST due/") - before.getOrDefault("LIST due/", 0))
                .isEqualTo(1);
        assertThat(core.bucket.requests()).containsEntry("GET jobs/", before.get("GET jobs/"));

        core.clock.advance(Duration.ofMinutes(50));
        core.runDueWork();
        assertThat(core.bucket.keys("due/")).as("sent ahead, with its delay").isEmpty();
        assertThat(core.stored(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        core.clock.advance(Duration.ofMinutes(10));
        core.runDueWork();
        assertThat(core.stored(job.id()).status()).isEqualTo(JobStatus.EXPIRED);
    }

    @Test
    void anEarlyWakeUpComesBackAtItsTime() {
        Core core = new Core(new Core.ScriptedProvider(0, false)
                .onStart(new ProviderOutcome.Pending("p-1", null))
                .onFetch(new ProviderOutcome.Pending("p-1", null)));
        Job job = core.queuedJob(null);
        core.runDueWork();
        Job processing = core.stored(job.id());
        core.queue.lose(); // the wake-ups the start sent: only the early one is left

        core.worker.handle(Work.wake(job.id(), processing.dispatch().nextPollAt()), 1);

        assertThat(core.provider.fetchCalls).hasValue(0);
        assertThat(core.queue.pending())
                .singleElement()
                .satisfies(m -> assertThat(m.visibleAt())
                        .isEqualTo(processing.dispatch().nextPollAt()));
    }

    @Test
    void aRedeliveredWakeUpMakesSureTheNextOneIsOnItsWay() {
        Core core = new Core(new Core.ScriptedProvider(0, false).onStart(new ProviderOutcome.Pending("p-1", null)));
        Job job = core.queuedJob(null);
        Work wake = core.queue.receive().orElseThrow().work();
        core.worker.handle(wake, 1);
        // The writes above sent their wake-ups (the next poll, the claim's end); say the queue lost them.
        core.queue.lose();

        core.worker.handle(wake, 1);
        assertThat(core.queue.pending())
                .as("a duplicate leaves it to the write that moved the time")
                .isEmpty();
        core.worker.handle(wake, 2);

        assertThat(core.queue.pending()).hasSize(1);
    }

    @Test
    void aStatusCallWakesAJobOnlyWhenItsWakeUpIsOverdue() {
        Core core = new Core(new Core.ScriptedProvider(0, false).onStart(new ProviderOutcome.Pending("p-1", null)));
        Job job = core.queuedJob(null);
        core.runDueWork();
        ShowJob show = new ShowJob(core.finder, core.links, core.schedule, core.positions, core.config, core.clock);
        int sent = core.queue.sent();

        show.show(job.id().value(), new Tenant("acme"));
        assertThat(core.queue.sent()).isEqualTo(sent);

        core.clock.advance(core.config.pollInterval().plus(ShowJob.OVERDUE).plusSeconds(1));
        core.queue.lose(); // the poll's wake-up
        show.show(job.id().value(), new Tenant("acme"));

        assertThat(core.queue.sent()).isEqualTo(sent + 1);
        assertThat(core.provider.fetchCalls)
                .as("it never asks the provider itself")
                .hasValue(0);
    }
}
