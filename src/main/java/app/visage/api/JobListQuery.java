package app.visage.api;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.jobs.model.IndexedJob;
import app.visage.jobs.model.JobStatus;
import app.visage.jobs.model.Operation;
import app.visage.jobs.usecase.ListJobs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * GET /v1/jobs's query string: {@code limit} (1 to 100, 20 when absent), {@code cursor} (a {@code next_cursor}),
 * {@code status}, {@code operation}, {@code provider}, {@code created_after}, {@code created_before} (RFC 3339). Any
 * other parameter, or a value out of shape, is 400 {@code invalid_param} naming it.
 */
public final class JobListQuery {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MOST = 100;

    private static final Set<String> NAMES =
            Set.of("limit", "cursor", "status", "operation", "provider", "created_after", "created_before");
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9-]{1,40}");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,3}");

    private JobListQuery() {}

    public static ListJobs.Query of(HttpRequest request) {
        for (String name : request.queryNames()) {
            if (!NAMES.contains(name)) {
                throw invalid(name, "is not a parameter of this list; it takes " + String.join(", ", sorted()));
            }
        }
        return new ListJobs.Query(
                request.query("limit").map(JobListQuery::limit).orElse(DEFAULT_LIMIT),
                request.query("cursor").map(JobListQuery::cursor).orElse(null),
                value(request, "status", v -> oneOf("status", v, JobStatus.values(), JobStatus::wire)),
                value(request, "operation", v -> oneOf("operation", v, Operation.values(), Operation::wire)),
                value(request, "provider", JobListQuery::provider),
                value(request, "created_after", v -> time("created_after", v)),
                value(request, "created_before", v -> time("created_before", v)));
    }

    /** The opaque cursor of a position: base64url, so that clients do not build one. */
    public static String cursor(IndexedJob position) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(position.position().getBytes(StandardCharsets.US_ASCII));
    }

    private static IndexedJob cursor(String value) {
        try {
            String position = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII);
            return IndexedJob.parse(position)
                    .orElseThrow(() -> invalid("cursor", "is not a next_cursor this API gave"));
        } catch (IllegalArgumentException e) {
            throw invalid("cursor", "is not a next_cursor this API gave");
        }
    }

    private static <T> T value(HttpRequest request, String name, Function<String, T> parse) {
        return request.query(name).map(parse).orElse(null);
    }

    private static int limit(String value) {
        int limit = LIMIT.matcher(value).matches() ? Integer.parseInt(value) : 0;
        if (limit < 1 || limit > MOST) {
            throw invalid("limit", "must be a whole number from 1 to " + MOST);
        }
        return limit;
    }

    /** The one of {@code values} whose wire name is {@code value}. */
    private static <T> T oneOf(String field, String value, T[] values, Function<T, String> wire) {
        return Arrays.stream(values)
                .filter(v -> wire.apply(v).equals(value))
                .findFirst()
                .orElseThrow(() -> invalid(
                        field,
                        "must be one of " + Arrays.stream(values).map(wire).collect(Collectors.joining(", "))));
    }

    private static String provider(String value) {
        if (!PROVIDER.matcher(value).matches()) {
            throw invalid("provider", "must be a provider id such as local or modelslab");
        }
        return value;
    }

    private static Instant time(String name, String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name, "must be an RFC 3339 time such as 2026-12-04T10:00:00Z");
        }
    }

    private static List<String> sorted() {
        return NAMES.stream().sorted().toList();
    }

    private static VisageException invalid(String field, String why) {
        return new VisageException(ErrorCode.INVALID_PARAM, field + " " + why, field);
    }
}
