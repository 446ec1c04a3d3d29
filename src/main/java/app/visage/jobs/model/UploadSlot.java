package app.visage.jobs.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** Where a presigned-upload job waits for its photo, and until when. */
@RegisterForReflection
public record UploadSlot(String key, String contentType, Instant expiresAt) {}
