package app.visage.api;

import app.visage.config.VisageConfig;
import app.visage.jobs.CreateUpload;
import app.visage.jobs.FileStore;
import app.visage.jobs.Job;
import app.visage.jobs.Param;
import app.visage.jobs.Params;
import app.visage.jobs.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The public view of a job: what GET /v1/jobs/{id}, cancel and client webhooks show. */
@ApplicationScoped
public class JobViews {
    private final FileStore files;
    private final VisageConfig config;
    private final Clock clock;

    public JobViews(FileStore files, VisageConfig config, Clock clock) {
        this.files = files;
        this.config = config;
        this.clock = clock;
    }

    public Map<String, Object> view(Job job) {
        Map<String, Object> view = summary(job);
        view.put("updated_at", job.updatedAt());
        view.put("expires_at", job.expiresAt());
        if (!job.status().isFinal() && job.dispatch().eta() != null) {
            view.put(
                    "eta_seconds",
                    Math.max(
                            0,
                            Duration.between(clock.instant(), job.dispatch().eta())
                                    .toSeconds()));
        }
        boolean inline = Params.fromStored(job.params()).flag(Param.RETURN_BASE64);
        view.put(
                "outputs",
                job.outputs().stream().map(o -> output(job, o, inline)).toList());
        if (job.result() != null) {
            view.put("result", job.result());
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
        return view;
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
        view.put("upload_url", ticket.uploadUrl().toString());
        view.put("upload_headers", ticket.uploadHeaders());
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

    /** A presigned GET valid until the sooner of the URL lifetime and the job's expiry; or a data URI if asked. */
    private Map<String, Object> output(Job job, StoredObject object, boolean inline) {
        Instant now = clock.instant();
        Instant until = now.plus(config.outputUrlTtl());
        if (until.isAfter(job.expiresAt())) {
            until = job.expiresAt();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        if (inline) {
            byte[] bytes = files.get(object.key()).orElse(new byte[0]);
            view.put(
                    "url",
                    "data:" + object.contentType() + ";base64,"
                            + Base64.getEncoder().encodeToString(bytes));
        } else {
            Duration validity = Duration.between(now, until);
            view.put(
                    "url",
                    files.presignGet(
                                    object.key(),
                                    validity.isNegative() || validity.isZero() ? Duration.ofSeconds(1) : validity)
                            .toString());
        }
        view.put("content_type", object.contentType());
        view.put("width", object.width());
        view.put("height", object.height());
        view.put("bytes", object.bytes());
        view.put("expires_at", until);
        return view;
    }
}
