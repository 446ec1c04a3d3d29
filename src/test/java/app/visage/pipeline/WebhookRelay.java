package app.visage.pipeline;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback relay in front of local mode's API, set as its public base URL: the provider webhooks the emulators
 * send pass through it, and it records how long Visage took to answer each, as the provider waits for it. It
 * records the path only, never the query (the webhook's token) or the body.
 */
final class WebhookRelay implements AutoCloseable {

    /** One request relayed: what it asked, what Visage answered, when it came and how long the answer took. */
    record Relayed(String method, String path, int status, Instant received, Duration answeredIn) {
        Instant answeredAt() {
            return received.plus(answeredIn);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-relay");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI target;
    private final List<Relayed> relayed = new CopyOnWriteArrayList<>();

    private WebhookRelay(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::relay);
        server.start();
    }

    /** A relay to {@code target} ({@code http://127.0.0.1:port}), on a free loopback port. */
    static WebhookRelay start(URI target) {
        return new WebhookRelay(target);
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The requests relayed to {@code path}, in order. */
    List<Relayed> relayed(String path) {
        return relayed.stream().filter(r -> r.path().equals(path)).toList();
    }

    void clear() {
        relayed.clear();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            Instant received = Instant.now();
            long start = System.nanoTime();
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            String query = uri.getRawQuery();
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(target + uri.getRawPath() + (query == null ? "" : "?" + query)))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            exchange.getRequestMethod(),
                            body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            String type = exchange.getRequestHeaders().getFirst("content-type");
            if (type != null) {
                request.header("content-type", type);
            }
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                relayed.add(new Relayed(
                        exchange.getRequestMethod(),
                        uri.getRawPath(),
                        -1,
                        received,
                        Duration.ofNanos(System.nanoTime() - start)));
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            relayed.add(new Relayed(
                    exchange.getRequestMethod(),
                    uri.getRawPath(),
                    answer.statusCode(),
                    received,
                    Duration.ofNanos(System.nanoTime() - start)));
            answer.headers()
                    .firstValue("content-type")
                    .ifPresent(t -> exchange.getResponseHeaders().set("content-type", t));
            byte[] out = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
