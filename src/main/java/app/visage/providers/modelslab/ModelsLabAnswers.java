package app.visage.providers.modelslab;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.providers.ProviderHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads ModelsLab's answers, tolerating what its docs disagree on: {@code id} as number or string,
 * fetch {@code output} as "" or an array, {@code messege} for {@code message}, {@code failed} for
 * {@code error}, errors in HTTP 200 bodies, and the 429 limit's {@code retry_after} in the body.
 */
final class ModelsLabAnswers {
    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(30);

    private ModelsLabAnswers() {}

    /** The answer to a generation call. */
    static ProviderOutcome generation(ProviderHttp.Reply reply) {
        return switch (reply) {
            case ProviderHttp.NoAnswer none
            when !none.sent() -> new ProviderOutcome.Transient("ModelsLab could not be reached", null);
            case ProviderHttp.NoAnswer none -> new ProviderOutcome.Unconfirmed("ModelsLab did not answer in time");
            case ProviderHttp.Answer answer -> read(answer, true);
        };
    }

    /** The answer to a fetch: asking again is always safe, so every fault is transient. */
    static ProviderOutcome fetch(ProviderHttp.Reply reply) {
        return switch (reply) {
            case ProviderHttp.NoAnswer none -> new ProviderOutcome.Transient("ModelsLab did not answer", null);
            case ProviderHttp.Answer answer
            when answer.status() == 404 ->
                new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR,
                        "ModelsLab no longer knows this job: " + message(answer.json()),
                        "404");
            case ProviderHttp.Answer answer
            when answer.status() == 401 || answer.status() == 403 ->
                new ProviderOutcome.Transient("ModelsLab refused the key", String.valueOf(answer.status()));
            case ProviderHttp.Answer answer -> read(answer, false);
        };
    }

    private static ProviderOutcome read(ProviderHttp.Answer answer, boolean starting) {
        JsonNode body = answer.json();
        String status = answer.field("status");
        String message = message(body);
        if (answer.status() == 429
                || message != null && message.toLowerCase(Locale.ROOT).contains("rate limit")) {
            return new ProviderOutcome.Busy(retryAfter(answer), "429");
        }
        if (answer.status() >= 500) {
            return new ProviderOutcome.Transient(
                    "ModelsLab answered " + answer.status(), String.valueOf(answer.status()));
        }
        if (!answer.ok()) {
            return new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR,
                    "ModelsLab refused the job: " + (message == null ? "HTTP " + answer.status() : message),
                    String.valueOf(answer.status()));
        }
        String id = answer.field("id");
        if ("success".equals(status)) {
            List<ProviderOutcome.Output> outputs;
            try {
                outputs = outputs(body.path("output"));
            } catch (IllegalArgumentException e) {
                // Asking again would give the same unusable links.
                return new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR, "ModelsLab answered an output that is not a URL", status);
            }
            // Success before the files exist has been seen with future_links; ask again later.
            return outputs.isEmpty()
                    ? pendingOrUnknown(id, body, starting)
                    : new ProviderOutcome.Finished(outputs, null);
        }
        if ("processing".equals(status)) {
            return pendingOrUnknown(id, body, starting);
        }
        if ("error".equals(status) || "failed".equals(status)) {
            return new ProviderOutcome.Failed(
                    ErrorCode.PROVIDER_ERROR, "ModelsLab: " + (message == null ? "the job failed" : message), status);
        }
        return starting
                ? new ProviderOutcome.Unconfirmed("ModelsLab answered something unrecognised")
                : new ProviderOutcome.Transient("ModelsLab answered something unrecognised", null);
    }

    private static ProviderOutcome pendingOrUnknown(String id, JsonNode body, boolean starting) {
        JsonNode eta = body.path("eta");
        Duration expected =
                eta.canConvertToLong() || eta.isTextual() && eta.asText().matches("\\d+(\\.\\d+)?")
                        ? Duration.ofMillis((long) (eta.asDouble() * 1000))
                        : null;
        if (id == null) {
            // Processing with no id to fetch by: only its webhook can finish it now.
            return starting
                    ? new ProviderOutcome.Unconfirmed("ModelsLab gave no job id")
                    : new ProviderOutcome.Pending(null, expected);
        }
        return new ProviderOutcome.Pending(id, expected);
    }

    /** {@code output}: an array of URLs, or a single string ("" while processing). */
    static List<ProviderOutcome.Output> outputs(JsonNode output) {
        List<ProviderOutcome.Output> outputs = new ArrayList<>();
        if (output.isTextual() && !output.asText().isBlank()) {
            outputs.add(new ProviderOutcome.Link(URI.create(output.asText().trim())));
        }
        if (output.isArray()) {
            output.forEach(o -> {
                if (o.isTextual() && !o.asText().isBlank()) {
                    outputs.add(new ProviderOutcome.Link(URI.create(o.asText().trim())));
                }
            });
        }
        return outputs;
    }

    static String message(JsonNode body) {
        for (String field : List.of("message", "messege", "error")) {
            JsonNode value = body.path(field);
            if (value.isTextual()) {
                return value.asText();
            }
        }
        return null;
    }

    private static Duration retryAfter(ProviderHttp.Answer answer) {
        JsonNode value = answer.json().path("retry_after");
        String seconds = value.isNumber() || value.isTextual() ? value.asText() : answer.retryAfterHeader();
        try {
            return seconds == null ? DEFAULT_RETRY : Duration.ofMillis((long) (Double.parseDouble(seconds) * 1000));
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY;
        }
    }
}
