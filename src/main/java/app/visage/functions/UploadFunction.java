package app.visage.functions;

import app.visage.functions.events.S3EventNotification;
import app.visage.jobs.port.Metrics;
import app.visage.jobs.usecase.StartUploadedJob;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** S3 ObjectCreated under uploads/: a client's presigned upload landed; start its job. */
@ApplicationScoped
public class UploadFunction {
    private final StartUploadedJob startUploadedJob;
    private final Metrics metrics;

    public UploadFunction(StartUploadedJob startUploadedJob, Metrics metrics) {
        this.metrics = metrics;
        this.startUploadedJob = startUploadedJob;
    }

    @Funq("upload")
    public List<Started> upload(S3EventNotification event) {
        metrics.invoked("upload");
        List<Started> started = new ArrayList<>();
        if (event == null) {
            return started;
        }
        for (String key : event.createdKeys()) {
            startUploadedJob
                    .photoArrived(key)
                    .ifPresent(job -> started.add(
                            new Started(key, job.id().value(), job.status().wire())));
        }
        return started;
    }

    /** What became of the job an uploaded object belongs to. */
    @RegisterForReflection
    public record Started(
            String key,

            @com.fasterxml.jackson.annotation.JsonProperty("job_id")
            String jobId,

            String status) {}
}
