package app.visage.providers;

import app.visage.config.VisageConfig;
import app.visage.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the adapters share about talking to a provider over HTTP: building a REST client for its
 * configured base URL, and telling apart an answer, a call that never left (safe to repeat), and a
 * call that left but got no answer (the provider may have the job: never repeat it).
 */
public final class ProviderHttp {
    private ProviderHttp() {}

    /** A REST client on the provider's base URL; answers of every status come back as responses, not exceptions. */
    public static <T> T client(Class<T> api, VisageConfig.Provider settings) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(settings.baseUrl())
                .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(api);
    }

    /**
     * The same client, built on first use. Building a REST client starts the reactive client's machinery
     * (Vert.x's HTTP client, providers, serialisers): about 150 ms of a cold start on a small machine,
     * which a function that never calls this provider — submit, status, upload, webhook and cleanup never
     * call a remote one, and a worker's step calls only its job's — should not pay for every provider at once.
     */
    public static <T> Supplier<T> lazyClient(Class<T> api, VisageConfig.Provider settings) {
        return new Supplier<>() {
            private volatile T client;

            @Override
            public T get() {
                T built = client;
                if (built == null) {
                    synchronized (this) {
                        built = client;
                        if (built == null) {
                            client = built = client(api, settings);
                        }
                    }
                }
                return built;
            }
        };
    }

    /** Waits for the call at most {@code timeout} (plus a margin for the client's own timeout to fire first). */
    public static Reply await(Uni<Response> call, Duration timeout) {
        try {
            Response response = call.await().atMost(timeout.plusSeconds(2));
            try (response) {
                return answer(
                        response.getStatus(),
                        response.hasEntity() ? response.readEntity(String.class) : "",
                        response.getHeaderString("retry-after"));
            }
        } catch (RuntimeException e) {
            return new NoAnswer(!neverSent(e), e.getClass().getSimpleName());
        }
    }

    /** An answer as it came over the wire: its body read as JSON when it is JSON. */
    public static Answer answer(int status, String text, String retryAfterHeader) {
        return new Answer(status, parse(text), text, retryAfterHeader);
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = text.isBlank() ? null : Json.MAPPER.readTree(text);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The connection was never made, so the provider cannot have seen the request. */
    private static boolean neverSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** How a call ended. */
    public sealed interface Reply {}

    /** An HTTP answer; {@code json} is a MissingNode when the body is not JSON. */
    public record Answer(int status, JsonNode json, String text, String retryAfterHeader) implements Reply {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** A body field as text, whether the provider sent it as a string or a number. */
        public String field(String name) {
            JsonNode value = json.path(name);
            return value.isValueNode() && !value.isNull() ? value.asText() : null;
        }
    }

    /** No answer: {@code sent} says whether the request may have reached the provider. */
    public record NoAnswer(boolean sent, String why) implements Reply {}
}
