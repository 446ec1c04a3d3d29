package app.visage.jobs;

import java.util.List;
import java.util.Map;

/** What a provider answered when a job was started. */
public sealed interface ProviderOutcome {

    /** Done: images to copy into the bucket, and structured results (face reconstruction), if any. */
    record Finished(List<OutputImage> images, Map<String, Object> result) implements ProviderOutcome {
    }

    /** An image produced by a provider, with what the job view reports of it. */
    record OutputImage(byte[] bytes, String contentType, String extension, int width, int height) {
    }
}
