package app.visage.jobs.usecase;

import app.visage.config.VisageConfig;
import app.visage.errors.VisageException;
import app.visage.images.ImageHeader;
import app.visage.images.ImageInspector;
import app.visage.images.MetadataStripper;
import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Keys;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.port.FileStore;
import app.visage.jobs.port.OutputDownloads;
import app.visage.jobs.port.Provider;
import app.visage.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a finished job's outputs into {@code outputs/{jobId}/}, as soon as the provider has them:
 * provider URLs die within 1–72 h. Keys are fixed by position, so copying twice (a duplicate
 * webhook racing a poll, a retry after a crash) writes the same objects again, never more.
 */
@ApplicationScoped
public class CopyOutputs {
    private static final int DOWNLOAD_ATTEMPTS = 3;

    private final FileStore files;
    private final OutputDownloads downloads;
    private final ImageInspector inspector;
    private final VisageConfig config;

    public CopyOutputs(FileStore files, OutputDownloads downloads, ImageInspector inspector, VisageConfig config) {
        this.files = files;
        this.downloads = downloads;
        this.inspector = inspector;
        this.config = config;
    }

    /**
     * @throws OutputDownloads.Unavailable when an output can't be had yet
     * @throws OutputDownloads.Rejected    when one is not an acceptable image
     */
    public List<StoredObject> copy(JobId id, Provider provider, ProviderOutcome.Finished finished) {
        List<StoredObject> stored = new ArrayList<>();
        int n = 1;
        for (ProviderOutcome.Output output : finished.outputs()) {
            byte[] bytes = switch (output) {
                case ProviderOutcome.Bytes inline -> inline.bytes();
                case ProviderOutcome.Link link -> download(link, provider);
            };
            if (bytes.length > config.maxOutputBytes()) {
                throw new OutputDownloads.Rejected("an output is larger than " + config.maxOutputBytes() + " bytes");
            }
            ImageHeader header = header(bytes);
            bytes = withoutMetadata(bytes, header);
            String key = Keys.output(id, n++, header.format().extension());
            files.put(key, bytes, header.format().mediaType());
            stored.add(new StoredObject(
                    key, header.format().mediaType(), bytes.length, header.displayWidth(), header.displayHeight()));
        }
        if (finished.result() != null) {
            files.put(Keys.result(id), Json.write(finished.result()), "application/json");
        }
        return stored;
    }

    /**
     * An output can lag a moment behind the provider's "done", and a synchronous provider's can't be
     * asked for again, so a download that may work later gets two more tries before the caller decides.
     */
    private byte[] download(ProviderOutcome.Link link, Provider provider) {
        for (int attempt = 1; ; attempt++) {
            try {
                return downloads.download(link.url(), provider.origins());
            } catch (OutputDownloads.Unavailable e) {
                if (attempt == DOWNLOAD_ATTEMPTS) {
                    throw e;
                }
                pause(Duration.ofMillis(500L * attempt));
            }
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutputDownloads.Unavailable("interrupted while waiting to download an output");
        }
    }

    /** Removes what {@link #copy} wrote, for a job that ended otherwise meanwhile. */
    public void remove(JobId id, List<StoredObject> outputs) {
        List<String> keys =
                new ArrayList<>(outputs.stream().map(StoredObject::key).toList());
        keys.add(Keys.result(id));
        files.delete(keys);
    }

    /** Outputs are kept as the provider made them, but not what their metadata says (where, when, on what). */
    private static byte[] withoutMetadata(byte[] bytes, ImageHeader header) {
        try {
            return MetadataStripper.strip(bytes, header.format());
        } catch (VisageException e) {
            throw new OutputDownloads.Rejected("an output is not an image Visage accepts: " + e.getMessage());
        }
    }

    private ImageHeader header(byte[] bytes) {
        try {
            return inspector.inspect(bytes);
        } catch (VisageException e) {
            throw new OutputDownloads.Rejected("an output is not an image Visage accepts: " + e.getMessage());
        }
    }
}
