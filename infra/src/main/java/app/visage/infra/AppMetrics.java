package app.visage.infra;

/**
 * The metrics the app writes as CloudWatch Embedded Metric Format lines, which the alarms and the dashboard read:
 * the contract between the two sides (docs/deployment.md, "Metrics the app writes").
 */
public final class AppMetrics {
    public static final String NAMESPACE = "Visage";

    /** Count, dimensions {@link #PROVIDER} and {@link #STATUS}: a job reached a terminal status. */
    public static final String JOBS_ENDED = "JobsEnded";
    /** Milliseconds, dimension {@link #PROVIDER}: one call to a provider's API (start, poll, fetch). */
    public static final String PROVIDER_LATENCY = "ProviderLatency";
    /** Count, no dimension: one attempt to deliver a client webhook. */
    public static final String WEBHOOK_DELIVERIES = "WebhookDeliveries";
    /** Count, no dimension: an attempt that got no 2xx (refused, an error status, a timeout). */
    public static final String WEBHOOK_FAILURES = "WebhookFailures";

    public static final String PROVIDER = "Provider";
    public static final String STATUS = "Status";
    /** {@link #STATUS} values the alarms read (the app writes {@code canceled} too): the API's job statuses. */
    public static final String SUCCEEDED = "succeeded";

    public static final String FAILED = "failed";

    private AppMetrics() {}
}
