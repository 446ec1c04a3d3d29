package app.visage.jobs.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An object Visage wrote to the bucket: an input photo or an output. */
@RegisterForReflection
public record StoredObject(String key, String contentType, long bytes, Integer width, Integer height) {}
