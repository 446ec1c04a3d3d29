package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.ShownJob;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.port.FileStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The reads and the presigning a job's view needs (for GET /v1/jobs/{id}, cancel's answer and client
 * webhooks), so that the view itself is built from data alone.
 */
@ApplicationScoped
public class OutputLinks {
    private final FileStore files;
    private final VisageConfig config;
    private final Clock clock;

    public OutputLinks(FileStore files, VisageConfig config, Clock clock) {
        this.files = files;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The job with its outputs' links, each valid until the sooner of the URL lifetime and the job's expiry (its
     * objects go then), or as data URIs if the job asked for base64.
     */
    public ShownJob shown(Job job) {
        Instant now = clock.instant();
        Instant until = now.plus(config.outputUrlTtl());
        if (until.isAfter(job.expiresAt())) {
            until = job.expiresAt();
        }
        Duration validity = Duration.between(now, until);
        Duration signedFor = validity.isNegative() || validity.isZero() ? Duration.ofSeconds(1) : validity;
        boolean inline = Params.fromStored(job.params()).flag(Param.RETURN_BASE64);
        Instant expiresAt = until;
        return new ShownJob(
                job,
                job.outputs().stream()
                        .map(o -> new ShownJob.Output(
                                o,
                                inline
                                        ? dataUri(o)
                                        : files.presignGet(o.key(), signedFor).toString(),
                                expiresAt))
                        .toList(),
                now);
    }

    private String dataUri(StoredObject object) {
        byte[] bytes = files.get(object.key()).orElse(new byte[0]);
        return "data:" + object.contentType() + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }
}
