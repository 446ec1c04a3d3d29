package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.images.ImageFormat;
import app.visage.jobs.model.Job;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Params;
import app.visage.jobs.model.Photo;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.Tenant;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two ways in, on the in-memory bucket: a photo in hand (submit), and a photo uploaded with a signed form. */
class SubmitAndUploadTest {
    static final Tenant ACME = new Tenant("acme");

    static Photo photo(Core core) {
        byte[] png = Core.png();
        return Photo.received(png, core.inspector.inspect(png));
    }

    /** An upload ticket for a head shot of the scripted provider, in {@code format}, with {@code webhook} if any. */
    static CreateUpload.Ticket ticket(Core core, JobId id, ImageFormat format, URI webhook) {
        return core.uploads.create(new UploadCommand(
                id,
                ACME,
                Operation.HEAD_SHOT,
                core.provider,
                Params.none(),
                format,
                webhook,
                Map.of(),
                List.of(),
                List.of(),
                null));
    }

    @Test
    void aSubmittedPhotoIsStoredAndItsJobLeftToTheWorkerWhichCallsTheProviderOnce() {
        Core core = new Core(new Core.ScriptedProvider(0, false).onStart(new ProviderOutcome.Pending("p-1", null)));
        JobId id = JobId.random();

        Job job = core.submitter.submit(new SubmitCommand(
                id,
                ACME,
                Operation.HEAD_SHOT,
                core.provider,
                Params.none(),
                photo(core),
                null,
                Map.of("user", "42"),
                List.of(),
                List.of(),
                null));

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.tenant()).isEqualTo("acme");
        assertThat(job.metadata()).containsEntry("user", "42");
        assertThat(core.bucket.keys("inputs/" + id + "/")).containsExactly("inputs/" + id + "/face.png");
        assertThat(core.provider.startCalls)
                .as("no request waits on a provider")
                .hasValue(0);
        assertThat(core.queue.pending()).extracting(m -> m.work().job()).containsExactly(id);

        core.runDueWork();
        core.runDueWork();

        assertThat(core.stored(id).status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(core.provider.startCalls).hasValue(1);
        // Created, claimed by the worker, accepted.
        assertThat(core.bucket.requests()).containsEntry("PUT jobs/", 3);
    }

    @Test
    void anUploadedPhotoStartsItsJobOnceHoweverOftenItsEventComes() {
        Core core = new Core(new Core.ScriptedProvider(0, false).onStart(new ProviderOutcome.Pending("p-1", null)));
        JobId id = JobId.random();
        CreateUpload.Ticket ticket = ticket(core, id, ImageFormat.PNG, null);
        assertThat(ticket.expiresAt()).isEqualTo(Core.T0.plus(core.config.uploadUrlTtl()));
        String key = ticket.job().upload().key();
        assertThat(ticket.maxBytes()).isEqualTo(core.config.maxImageBytes());
        assertThat(ticket.form().fields())
                .containsEntry("key", key)
                .containsEntry("Content-Type", "image/png")
                .containsEntry("content-length-range", "1," + core.config.maxImageBytes())
                .containsEntry("expiration", ticket.expiresAt().toString());
        core.bucket.put(key, Core.png(), "image/png");

        Job attached = core.uploaded.photoArrived(key).orElseThrow();
        core.runDueWork();
        // S3 delivers at least once: the same event again; or the form, still valid, was posted a second time.
        core.bucket.put(key, Core.png(), "image/png");
        Job again = core.uploaded.photoArrived(key).orElseThrow();
        core.runDueWork();

        assertThat(attached.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(attached.input().key()).isEqualTo("inputs/" + id + "/face.png");
        assertThat(again.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(core.provider.startCalls).hasValue(1);
        assertThat(core.bucket.keys(key)).as("the second copy is not kept").isEmpty();
    }

    @Test
    void anUploadThatIsNoPictureFailsItsJobAndIsDeleted() {
        Core core = new Core(new Core.ScriptedProvider(0, false));
        CreateUpload.Ticket ticket =
                ticket(core, JobId.random(), ImageFormat.PNG, URI.create("https://app.example/hook"));
        String key = ticket.job().upload().key();
        core.bucket.put(key, "not a picture".getBytes(), "image/png");

        Job failed = core.uploaded.photoArrived(key).orElseThrow();
        core.runDueWork();

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE.wire());
        assertThat(core.bucket.keys(key)).isEmpty();
        assertThat(core.webhooks.sent).extracting(m -> m.type()).containsExactly("job.failed");
        assertThat(core.provider.startCalls).hasValue(0);
    }

    @Test
    void anUploadThatNeverCameFailsWhenItsUrlExpires() {
        Core core = new Core(new Core.ScriptedProvider(0, false));
        CreateUpload.Ticket ticket = ticket(core, JobId.random(), ImageFormat.JPEG, null);

        core.clock.advance(core.config.uploadUrlTtl().minusSeconds(1));
        core.runDueWork();
        assertThat(core.stored(ticket.job().id()).status()).isEqualTo(JobStatus.QUEUED);
        core.clock.advance(Duration.ofSeconds(1));
        core.runDueWork();

        Job expired = core.stored(ticket.job().id());
        assertThat(expired.status()).isEqualTo(JobStatus.FAILED);
        assertThat(expired.error().code()).isEqualTo(ErrorCode.EXPIRED.wire());
    }
}
