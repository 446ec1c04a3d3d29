package app.visage.infra;

import java.util.Arrays;
import java.util.List;
import software.constructs.Node;

/**
 * The context flags of what operators watch and what the API lets through, checked at synth like
 * {@link DeploySettings}'s.
 *
 * <ul>
 * <li>{@code alarmEmail}: an address the alarm topic mails (SNS asks it to confirm); default none: the topic has
 * no subscription, subscribe to it yourself (its ARN is the output {@code AlarmTopicArn})</li>
 * <li>{@code apiThrottleRate}: the HTTP API's default stage steady rate, requests per second, default 50</li>
 * <li>{@code apiThrottleBurst}: its burst, requests, default 100</li>
 * <li>{@code providers}: the provider ids watched one by one (failure rate, latency p90), comma-separated;
 * default every provider the app ships ({@link #DEFAULT_PROVIDERS})</li>
 * </ul>
 */
public record OperationsSettings(String alarmEmail, int apiThrottleRate, int apiThrottleBurst, List<String> providers) {

    public static final int DEFAULT_API_THROTTLE_RATE = 50;
    public static final int DEFAULT_API_THROTTLE_BURST = 100;
    /** The app's providers: {@code local} and each {@code visage.providers.<id>} of application.properties. */
    public static final List<String> DEFAULT_PROVIDERS =
            List.of("local", "modelslab", "modelslab-enterprise", "modelslab-face-gen", "fashn", "metahuman");

    public static OperationsSettings from(Node node) {
        String email = DeploySettings.context(node, "alarmEmail", null);
        if (email != null && !email.matches("[^@\\s,]+@[^@\\s,]+\\.[^@\\s,]+")) {
            throw new IllegalArgumentException("context alarmEmail must be one email address, not '" + email + "'");
        }
        String providers = DeploySettings.context(node, "providers", String.join(",", DEFAULT_PROVIDERS));
        List<String> ids = Arrays.stream(providers.split(","))
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .distinct()
                .toList();
        if (ids.isEmpty() || ids.stream().anyMatch(p -> !p.matches("[a-z0-9][a-z0-9-]{0,63}"))) {
            throw new IllegalArgumentException(
                    "context providers must be provider ids (lower case, digits, '-'), comma-separated, not '"
                            + providers + "'");
        }
        int rate = DeploySettings.wholeNumber(
                "apiThrottleRate",
                DeploySettings.context(node, "apiThrottleRate", String.valueOf(DEFAULT_API_THROTTLE_RATE)),
                1,
                10_000);
        int burst = DeploySettings.wholeNumber(
                "apiThrottleBurst",
                DeploySettings.context(node, "apiThrottleBurst", String.valueOf(DEFAULT_API_THROTTLE_BURST)),
                1,
                5_000);
        return new OperationsSettings(email, rate, burst, ids);
    }
}
