package app.visage.jobs.view;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.ClientWebhook;
import app.visage.jobs.model.Dispatch;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.ShownJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The view's times, place in line and webhook deliveries, from the record alone. */
class JobViewsTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private final JobViews views = new JobViews();

    private static Job.Builder job() {
        return Job.builder()
                .id(JobId.random())
                .status(JobStatus.QUEUED)
                .operation(Operation.HEAD_SHOT)
                .provider("modelslab")
                .createdAt(T0)
                .updatedAt(T0)
                .expiresAt(T0.plus(Duration.ofDays(1)));
    }

    private Map<String, Object> view(Job job, Integer position) {
        return views.view(new ShownJob(job, List.of(), T0, position));
    }

    @Test
    void aQueuedJobShowsItsPlaceInLineAndNoTimesYet() {
        Map<String, Object> view = view(job().build(), 3);

        assertThat(view).containsEntry("queue_position", 3).doesNotContainKeys("started_at", "completed_at");
        assertThat(view).doesNotContainKey("webhook_deliveries");
    }

    @Test
    void anEndedJobShowsWhenItStartedAndEnded() {
        Job ended = job().status(JobStatus.SUCCEEDED)
                .startedAt(T0.plusSeconds(2))
                .completedAt(T0.plusSeconds(9))
                .build();

        assertThat(view(ended, null))
                .containsEntry("started_at", T0.plusSeconds(2))
                .containsEntry("completed_at", T0.plusSeconds(9))
                .doesNotContainKey("queue_position");
    }

    @Test
    void eachDeliveryAttemptIsShownWithItsEventAndItsStatusOrError() {
        Job delivered = job().status(JobStatus.SUCCEEDED)
                .webhook("https://app.example/hooks")
                .clientWebhooks(List.of(
                        new ClientWebhook(
                                "msg_x_started",
                                "job.started",
                                "delivered",
                                null,
                                List.of(
                                        new ClientWebhook.Attempt(T0.plusSeconds(1), null, "connection refused"),
                                        new ClientWebhook.Attempt(T0.plusSeconds(6), 200, null)),
                                0),
                        new ClientWebhook(
                                "msg_x",
                                "job.succeeded",
                                "delivered",
                                null,
                                List.of(
                                        new ClientWebhook.Attempt(T0.plusSeconds(7), 500, null),
                                        new ClientWebhook.Attempt(T0.plusSeconds(300), 200, null)),
                                0)))
                .build();

        assertThat(view(delivered, null).get("webhook_deliveries"))
                .isEqualTo(List.of(
                        Map.of("at", T0.plusSeconds(1), "event", "job.started", "error", "connection refused"),
                        Map.of("at", T0.plusSeconds(6), "event", "job.started", "status", 200),
                        Map.of("at", T0.plusSeconds(7), "event", "job.succeeded", "status", 500),
                        Map.of("at", T0.plusSeconds(300), "event", "job.succeeded", "status", 200)));
        assertThat(view(job().webhook("https://app.example/hooks").build(), null))
                .containsEntry("webhook_deliveries", List.of());
    }

    @Test
    void completingSetsTheEndOnceAndAcceptingTheStartOnce() {
        Job started = job().build().accepted(Dispatch.NONE, T0.plusSeconds(1));
        Job startedAgain = started.accepted(Dispatch.NONE, T0.plusSeconds(5));
        Job canceled = startedAgain.moveTo(JobStatus.CANCELED, T0.plusSeconds(7));
        Job expired = canceled.expired(T0.plusSeconds(90_000));

        assertThat(startedAgain.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(canceled.completedAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(expired.completedAt()).as("expiry is no end of the job").isEqualTo(T0.plusSeconds(7));
    }
}
