package app.visage.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 7240's {@code Prefer: wait=N} on POST /v1/jobs: the client would wait up to N seconds for the job to end.
 * More than {@link #MOST_SECONDS} is honoured as that (API Gateway ends a request at 30 s, the function at 29 s),
 * and the answer says what was applied in {@code Preference-Applied}. A preference this API does not know, or a
 * {@code wait} that is no whole number of seconds from 1, is ignored, as RFC 7240 asks.
 */
public final class PreferWait {
    public static final int MOST_SECONDS = 25;

    private static final Pattern WAIT =
            Pattern.compile("\\s*wait\\s*=\\s*\"?([0-9]{1,9})\"?\\s*", Pattern.CASE_INSENSITIVE);

    private PreferWait() {}

    /** The seconds to wait, at most {@link #MOST_SECONDS}; empty when the request asks for no wait. */
    public static Optional<Integer> of(HttpRequest request) {
        return request.header("prefer").flatMap(PreferWait::parse);
    }

    static Optional<Integer> parse(String prefer) {
        for (String preference : prefer.split(",")) {
            Matcher m = WAIT.matcher(preference.split(";", 2)[0]);
            if (m.matches()) {
                int seconds = Integer.parseInt(m.group(1));
                return seconds < 1 ? Optional.empty() : Optional.of(Math.min(seconds, MOST_SECONDS));
            }
        }
        return Optional.empty();
    }

    /** {@code response} with {@code Preference-Applied: wait=N}. */
    public static APIGatewayV2HTTPResponse applied(APIGatewayV2HTTPResponse response, int seconds) {
        Map<String, String> headers = new LinkedHashMap<>(response.getHeaders());
        headers.put("preference-applied", "wait=" + seconds);
        response.setHeaders(headers);
        return response;
    }
}
