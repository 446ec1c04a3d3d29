package app.visage.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API's routes, as API Gateway names them in {@code routeKey}, and the function serving each.
 * Local mode dispatches by this table, and {@code infra/} compiles this very file to create the API's routes
 * and to test the template against it: it must depend on the JDK alone.
 */
public enum Route {
    CREATE_JOB("POST", "/v1/jobs", "submit"),
    CREATE_UPLOAD("POST", "/v1/uploads", "submit"),
    CANCEL_JOB("POST", "/v1/jobs/{id}/cancel", "submit"),
    RETRY_WEBHOOK("POST", "/v1/jobs/{id}/webhook/retry", "submit"),
    GET_JOB("GET", "/v1/jobs/{id}", "status"),
    LIST_JOBS("GET", "/v1/jobs", "status"),
    PROVIDER_WEBHOOK("POST", "/v1/provider-webhooks/{provider}/{jobId}", "webhook");

    private final String method;
    private final String path;
    private final String function;

    Route(String method, String path, String function) {
        this.method = method;
        this.path = path;
        this.function = function;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String function() {
        return function;
    }

    /** {@code POST /v1/jobs/{id}/cancel}: API Gateway's routeKey. */
    public String routeKey() {
        return method + " " + path;
    }

    public static Optional<Route> byRouteKey(String routeKey) {
        for (Route route : values()) {
            if (route.routeKey().equals(routeKey)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /** Matches a concrete request path, capturing the {@code {name}} segments. */
    public static Optional<Match> match(String method, String rawPath) {
        String[] actual = rawPath.split("/", -1);
        for (Route route : values()) {
            String[] template = route.path.split("/", -1);
            if (!route.method.equals(method) || template.length != actual.length) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{") && template[i].endsWith("}")) {
                    matches = !actual[i].isEmpty();
                    params.put(template[i].substring(1, template[i].length() - 1), actual[i]);
                } else {
                    matches = template[i].equals(actual[i]);
                }
            }
            if (matches) {
                return Optional.of(new Match(route, params));
            }
        }
        return Optional.empty();
    }

    public record Match(Route route, Map<String, String> pathParameters) {}
}
