package app.visage.jobs.view;

import app.visage.jobs.model.Attempt;
import app.visage.jobs.model.FaceRecon;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.usecase.CreateUpload;
import com.fasterxml.jackson.databind.node.NullNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public view of a job: what GET /v1/jobs/{id}, cancel and client webhooks show. Built from data alone
 * ({@link ShownJob} carries the outputs' links, made by {@code OutputLinks}): no reads, no clock.
 */
@ApplicationScoped
public class JobViews {

    public Map<String, Object> view(ShownJob shown) {
        Job job = shown.job();
        Map<String, Object> view = summary(job);
        if (job.startedAt() != null) {
            view.put("started_at", job.startedAt());
        }
        if (job.completedAt() != null) {
            view.put("completed_at", job.completedAt());
        }
        view.put("updated_at", job.updatedAt());
        view.put("expires_at", job.expiresAt());
        if (!job.status().isFinal() && job.dispatch().eta() != null) {
            view.put(
                    "eta_seconds",
                    Math.max(
                            0,
                            Duration.between(shown.at(), job.dispatch().eta()).toSeconds()));
        }
        if (shown.queuePosition() != null) {
            view.put("queue_position", shown.queuePosition());
        }
        if (job.dispatch().providerJobId() != null) {
            view.put("provider_job_id", job.dispatch().providerJobId());
        }
        Object seed = job.seed() != null ? job.seed() : job.params().get("seed");
        if (seed != null) {
            view.put("seed", seed);
        }
        view.put("attempts", job.attempts().stream().map(JobViews::attempt).toList());
        view.put("outputs", shown.outputs().stream().map(JobViews::output).toList());
        if (job.result() != null) {
            view.put(
                    "result",
                    job.operation() == Operation.FACE_RECON ? FaceRecon.withEveryKey(job.result()) : job.result());
        }
        if (job.error() != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", job.error().code());
            error.put("message", job.error().message());
            if (job.error().providerCode() != null) {
                error.put("provider_code", job.error().providerCode());
            }
            view.put("error", error);
        }
        view.put("metadata", job.metadata());
        if (job.webhook() != null) {
            view.put("webhook_deliveries", webhookDeliveries(job));
        }
        return view;
    }

    /**
     * The client webhook's delivery attempts, oldest first: {@code {at, event, status}} for an answer, {@code {at,
     * event, error}} for none. Empty until the first attempt.
     */
    static List<Map<String, Object>> webhookDeliveries(Job job) {
        return job.webhookAttempts().stream()
                .map(sent -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("at", sent.attempt().at());
                    view.put("event", sent.type());
                    if (sent.attempt().status() != null) {
                        view.put("status", sent.attempt().status());
                    } else {
                        view.put("error", sent.attempt().error());
                    }
                    return view;
                })
                .toList();
    }

    /** The answer to GET /v1/jobs: a page of views, and the cursor of the next page (null at the end). */
    public Map<String, Object> page(List<ShownJob> jobs, String nextCursor) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("data", jobs.stream().map(this::view).toList());
        page.put("next_cursor", nextCursor == null ? NullNode.instance : nextCursor); // a JSON null: the end
        return page;
    }

    /** The 202 answer to POST /v1/jobs. */
    public Map<String, Object> accepted(Job job) {
        Map<String, Object> view = summary(job);
        view.put("links", Map.of("self", "/v1/jobs/" + job.id()));
        return view;
    }

    /** The 201 answer to POST /v1/uploads. */
    public Map<String, Object> uploadTicket(CreateUpload.Ticket ticket) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("job_id", ticket.job().id().value());
        view.put("upload_url", ticket.form().url().toString());
        view.put("upload_fields", ticket.form().fields());
        view.put("max_bytes", ticket.maxBytes());
        view.put("expires_at", ticket.expiresAt());
        view.put("links", Map.of("job", "/v1/jobs/" + ticket.job().id()));
        return view;
    }

    private static Map<String, Object> summary(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", job.id().value());
        view.put("status", job.status().wire());
        view.put("operation", job.operation().wire());
        view.put("provider", job.provider());
        view.put("created_at", job.createdAt());
        return view;
    }

    /** An earlier run: which provider, its id there, why it was not the last, and when it ended. */
    private static Map<String, Object> attempt(Attempt attempt) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("provider", attempt.provider());
        if (attempt.providerJobId() != null) {
            view.put("provider_job_id", attempt.providerJobId());
        }
        view.put("outcome", attempt.outcome());
        if (attempt.providerCode() != null) {
            view.put("provider_code", attempt.providerCode());
        }
        view.put("message", attempt.message());
        view.put("ended_at", attempt.endedAt());
        return view;
    }

    private static Map<String, Object> output(ShownJob.Output output) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("url", output.url());
        view.put("content_type", output.object().contentType());
        view.put("width", output.object().width());
        view.put("height", output.object().height());
        view.put("bytes", output.object().bytes());
        view.put("expires_at", output.expiresAt());
        return view;
    }
}
