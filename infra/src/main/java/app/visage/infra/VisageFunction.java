package app.visage.infra;

/**
 * The six Funqy functions of the one artifact, each a Lambda picked by {@code QUARKUS_FUNQY_EXPORT}.
 * {@code nativeReady}: off the ONNX/AWT engine's path, so it may run as the native executable.
 */
public enum VisageFunction {
    SUBMIT("submit", "Submit", 1024, 29, true),
    STATUS("status", "Status", 512, 29, true),
    WEBHOOK("webhook", "Webhook", 512, 29, true),
    UPLOAD("upload", "Upload", 1024, 120, false),
    /** Runs the engine for local jobs; its longest step downloads a provider's outputs and copies them to S3. */
    WORKER("worker", "Worker", 1024, 120, false),
    CLEANUP("cleanup", "Cleanup", 512, 300, false);

    /** The Funqy export name, the value of {@code QUARKUS_FUNQY_EXPORT}. */
    public final String export;
    /** The construct id. */
    public final String id;

    public final int memoryMb;
    /** API Gateway waits 30 s at most, so the API's functions stop at 29 s. */
    public final int timeoutSeconds;

    public final boolean nativeReady;

    VisageFunction(String export, String id, int memoryMb, int timeoutSeconds, boolean nativeReady) {
        this.export = export;
        this.id = id;
        this.memoryMb = memoryMb;
        this.timeoutSeconds = timeoutSeconds;
        this.nativeReady = nativeReady;
    }

    /** The function a route of the app's table names by its export. */
    public static VisageFunction byExport(String export) {
        for (VisageFunction f : values()) {
            if (f.export.equals(export)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no function exports " + export);
    }
}
