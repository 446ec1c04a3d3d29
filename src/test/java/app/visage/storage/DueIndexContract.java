package app.visage.storage;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.Work;
import app.visage.jobs.port.DueIndex;
import app.visage.jobs.port.DueIndex.Marker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The due-work index's promises, run against the S3 adapter ({@link S3DueIndexTest}) and the in-memory bucket of
 * the core's fast tests ({@link MemoryDueIndexTest}) alike: what the fast tests rely on, S3 does too.
 */
abstract class DueIndexContract {
    static final Instant NOW = Instant.parse("2026-12-03T19:05:30Z");

    abstract DueIndex index();

    /** Writes {@code body} at {@code key} as it is, marker or not. */
    abstract void putRaw(String key, String body);

    /** The keys under {@code due/}. */
    abstract List<String> markerKeys();

    /** How many list requests {@code call} made. */
    abstract long listRequestsDuring(Runnable call);

    @Test
    void aMarkerHoldsItsWorkAtItsKey() {
        Work wake = Work.wake(JobId.random(), NOW.minusSeconds(10));
        index().add(wake);

        assertThat(index().dueBy(NOW, 10)).containsExactly(new Marker(Keys.due(wake), wake));
    }

    @Test
    void markersOfEveryMinuteUpToAndIncludingUntilsAreDueEarliestFirst() {
        Work hoursAgo = Work.confirm(JobId.random(), "81001", NOW.minus(Duration.ofHours(2)));
        Work minuteBefore = Work.nextInLine("fashn", NOW.minusSeconds(60));
        Work startOfMinute = Work.wake(JobId.random(), Instant.parse("2026-12-03T19:05:00Z"));
        Work laterInTheMinute = Work.wake(JobId.random(), Instant.parse("2026-12-03T19:05:59.999Z"));
        Work nextMinute = Work.wake(JobId.random(), Instant.parse("2026-12-03T19:06:00Z"));
        Work tomorrow = Work.nextInLine("metahuman", NOW.plus(Duration.ofDays(1)));
        for (Work work : List.of(tomorrow, laterInTheMinute, nextMinute, hoursAgo, startOfMinute, minuteBefore)) {
            index().add(work);
        }

        List<Marker> due = index().dueBy(NOW, 100);

        assertThat(due.subList(0, 2)).extracting(Marker::work).containsExactly(hoursAgo, minuteBefore);
        assertThat(due.subList(2, 4))
                .extracting(Marker::work)
                .containsExactlyInAnyOrder(startOfMinute, laterInTheMinute);
        assertThat(due).hasSize(4).extracting(Marker::key).isSorted();
    }

    @Test
    void atMostMaxMarkersTheEarliest() {
        for (int minutes = 1; minutes <= 5; minutes++) {
            index().add(Work.wake(JobId.random(), NOW.minus(Duration.ofMinutes(minutes))));
        }

        List<Marker> due = index().dueBy(NOW, 2);

        assertThat(due)
                .extracting(m -> m.work().at())
                .containsExactly(NOW.minus(Duration.ofMinutes(5)), NOW.minus(Duration.ofMinutes(4)));
    }

    @Test
    void withNothingDueOneListRequestHoweverManyTimersWait() {
        for (int i = 1; i <= 50; i++) {
            index().add(Work.wake(JobId.random(), NOW.plus(Duration.ofMinutes(i))));
        }

        assertThat(listRequestsDuring(() -> assertThat(index().dueBy(NOW, 100)).isEmpty()))
                .isEqualTo(1);
        assertThat(listRequestsDuring(() -> assertThat(index().dueBy(NOW, 10)).isEmpty()))
                .isEqualTo(1);
    }

    @Test
    void anUnreadableMarkerComesBackWithoutWorkAndANewerOneIsLeftForItsBuild() {
        String junk = Keys.dueMinute(NOW) + "junk.json";
        String newer = Keys.dueMinute(NOW) + "job_44lg356p6fefoiyvhx7ksncthc-wake.json";
        putRaw(junk, "not a message");
        putRaw(
                newer,
                "{\"schema_version\":2,\"kind\":\"wake\",\"job_id\":\"job_44lg356p6fefoiyvhx7ksncthc\","
                        + "\"at\":\"2026-12-03T19:05:00Z\",\"priority\":1}");

        assertThat(index().dueBy(NOW, 10)).containsExactly(new Marker(junk, null));
    }

    @Test
    void removedMarkersAreGone() {
        index().add(Work.wake(JobId.random(), NOW.minusSeconds(1)));
        index().add(Work.wake(JobId.random(), NOW.minusSeconds(2)));
        Work kept = Work.wake(JobId.random(), NOW.plus(Duration.ofHours(1)));
        index().add(kept);

        index().remove(index().dueBy(NOW, 10));

        assertThat(index().dueBy(NOW, 10)).isEmpty();
        assertThat(markerKeys()).containsExactly(Keys.due(kept));
        index().remove(List.of());
    }

    @Test
    void theSameStepForTheSameMinuteIsOneMarkerTheLastAdded() {
        JobId job = JobId.random();
        index().add(Work.wake(job, Instant.parse("2026-12-03T19:05:10Z")));
        Work later = Work.wake(job, Instant.parse("2026-12-03T19:05:20Z"));
        index().add(later);

        assertThat(index().dueBy(NOW, 10)).extracting(Marker::work).containsExactly(later);
    }
}
