package app.visage.providers.modelslab;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.providers.ProviderHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads ModelsLab's answers, tolerating what its docs disagree on: {@code id} as number or string,
 * fetch {@code output} as "" or an array, {@code messege} for {@code message}, {@code failed} for
 * {@code error}, errors in HTTP 200 bodies, and the 429 limit's {@code retry_after} in the body. A
 * success is one only with outputs; what the safety checker did is kept as the job's result.
 */
final class ModelsLabAnswers {
    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(30);

    private ModelsLabAnswers() {}

    /** The answer to a generation call; {@code sentSeed} is the seed the request carried (null: none). */
    static ProviderOutcome generation(ProviderHttp.Reply reply, Long sentSeed) {
        return switch (reply) {
            case ProviderHttp.NoAnswer none
            when !none.sent() -> new ProviderOutcome.Transient("ModelsLab could not be reached", null);
            case ProviderHttp.NoAnswer none -> new ProviderOutcome.Unconfirmed("ModelsLab did not answer in time");
            case ProviderHttp.Answer answer -> read(answer, true, null, sentSeed);
        };
    }

    /** The answer to a fetch of {@code askedId}: asking again is always safe, so every fault is transient. */
    static ProviderOutcome fetch(ProviderHttp.Reply reply, String askedId) {
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
            case ProviderHttp.Answer answer -> read(answer, false, askedId, null);
        };
    }

    private static ProviderOutcome read(ProviderHttp.Answer answer, boolean starting, String askedId, Long sentSeed) {
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
            String why = "ModelsLab refused the job: " + (message == null ? "HTTP " + answer.status() : message);
            // A refused generation call created nothing (401 key, 402 credits, 403 feature): another provider may.
            return starting
                    ? new ProviderOutcome.Refused(ErrorCode.PROVIDER_ERROR, why, String.valueOf(answer.status()))
                    : new ProviderOutcome.Failed(ErrorCode.PROVIDER_ERROR, why, String.valueOf(answer.status()));
        }
        String id = answer.field("id") != null ? answer.field("id") : askedId;
        Long seed = seed(body.path("meta"), sentSeed);
        if ("success".equals(status)) {
            List<ProviderOutcome.Output> outputs;
            try {
                outputs = outputs(body.path("output"));
            } catch (IllegalArgumentException e) {
                // Asking again would give the same unusable links.
                return new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR, "ModelsLab answered an output that is not a URL", status);
            }
            if (outputs.isEmpty()) {
                // Not a success yet: its files come later under the same id.
                return pendingOrUnknown(id, body, starting, seed);
            }
            Map<String, Object> checker = safetyChecker(body);
            if (Boolean.TRUE.equals(checker.get("enabled"))
                    && Boolean.TRUE.equals(checker.get("nsfw_content_detected"))) {
                // The checker replaced the image (blurred, blacked, pixelated or captioned): not the picture asked for.
                return new ProviderOutcome.Failed(
                        ErrorCode.CONTENT_MODERATION,
                        "ModelsLab's safety checker found NSFW content and replaced the image"
                                + (checker.get("type") == null ? "" : " (" + checker.get("type") + ")"),
                        "nsfw_content_detected");
            }
            // An answer silent on the checker (every fetch answer) adds no result.
            Map<String, Object> result =
                    checker.values().stream().allMatch(v -> v == null) ? null : Map.of("safety_checker", checker);
            return new ProviderOutcome.Finished(outputs, result, id, seed);
        }
        if ("processing".equals(status)) {
            return pendingOrUnknown(id, body, starting, seed);
        }
        if ("error".equals(status) || "failed".equals(status)) {
            String why = "ModelsLab: " + (message == null ? "the job failed" : message);
            // An error answering the generation call itself: no job was queued, nothing charged.
            return starting
                    ? new ProviderOutcome.Refused(ErrorCode.PROVIDER_ERROR, why, status)
                    : new ProviderOutcome.Failed(ErrorCode.PROVIDER_ERROR, why, status);
        }
        return starting
                ? new ProviderOutcome.Unconfirmed("ModelsLab answered something unrecognised")
                : new ProviderOutcome.Transient("ModelsLab answered something unrecognised", null);
    }

    private static ProviderOutcome pendingOrUnknown(String id, JsonNode body, boolean starting, Long seed) {
        JsonNode eta = body.path("eta");
        Duration expected =
                eta.canConvertToLong() || eta.isTextual() && eta.asText().matches("\\d+(\\.\\d+)?")
                        ? Duration.ofMillis((long) (eta.asDouble() * 1000))
                        : null;
        if (id == null) {
            // Processing with no id to fetch by: only its webhook can finish it now.
            return starting
                    ? new ProviderOutcome.Unconfirmed("ModelsLab gave no job id")
                    : new ProviderOutcome.Pending(null, expected, seed);
        }
        return new ProviderOutcome.Pending(id, expected, seed);
    }

    /**
     * What the checker did, from a success answer: {@code meta.safety_checker} (the docs' example answers
     * "yes"/"no"; a boolean is read too), {@code meta.safety_checker_type}, and the top-level
     * {@code nsfw_content_detected} other ModelsLab success schemas carry. Null where the answer is silent,
     * as fetch answers (only {@code status, id, output}) always are on all three.
     */
    static Map<String, Object> safetyChecker(JsonNode body) {
        JsonNode meta = body.path("meta");
        JsonNode type = meta.path("safety_checker_type");
        Map<String, Object> checker = new LinkedHashMap<>();
        checker.put("enabled", flag(meta.path("safety_checker")));
        checker.put("type", type.isTextual() && !type.asText().isBlank() ? type.asText() : null);
        checker.put("nsfw_content_detected", flag(body.path("nsfw_content_detected")));
        return checker;
    }

    private static Boolean flag(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return switch (value.isTextual() ? value.asText().trim().toLowerCase(Locale.ROOT) : "") {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> null;
        };
    }

    /** {@code meta.seed} when the answer gives one as a whole number; else the seed the request carried. */
    private static Long seed(JsonNode meta, Long sentSeed) {
        JsonNode seed = meta.path("seed");
        if (seed.isIntegralNumber() && seed.canConvertToLong() && seed.asLong() >= 0) {
            return seed.asLong();
        }
        if (seed.isTextual() && seed.asText().matches("\\d{1,18}")) {
            return Long.parseLong(seed.asText());
        }
        return sentSeed;
    }

    /** {@code output}: an array of URLs, or a single string ("" while processing); only http(s) URLs are outputs. */
    static List<ProviderOutcome.Output> outputs(JsonNode output) {
        List<ProviderOutcome.Output> outputs = new ArrayList<>();
        if (output.isTextual() && !output.asText().isBlank()) {
            outputs.add(link(output.asText()));
        }
        if (output.isArray()) {
            output.forEach(o -> {
                if (o.isTextual() && !o.asText().isBlank()) {
                    outputs.add(link(o.asText()));
                }
            });
        }
        return outputs;
    }

    private static ProviderOutcome.Link link(String text) {
        URI url = URI.create(text.trim());
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        return new ProviderOutcome.Link(url);
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
