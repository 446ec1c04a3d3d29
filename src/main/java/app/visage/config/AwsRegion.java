package app.visage.config;

/** The region of every AWS client Visage builds: {@code visage.s3.region}, else the Lambda's own, else us-east-1. */
public final class AwsRegion {
    private AwsRegion() {}

    public static String of(VisageConfig config) {
        return config.s3().region().orElseGet(() -> System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
    }
}
