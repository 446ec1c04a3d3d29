package app.visage.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A forwarding HTTP server on loopback, in front of one upstream (a provider emulator, or local mode's HTTP
 * server): it records when each request arrived and when its answer was back from the upstream, can hold back
 * chosen requests (a slow output download), and rewrites the upstream's own address in answer bodies to its own
 * (and any other address it is told of to that address's proxy: a provider's CDN), so that URLs the upstream hands
 * out are fetched through proxies too. Plain HTTP/1.1, bodies read whole; nothing is logged.
 */
final class LoopbackProxy implements AutoCloseable {
    /** One request as the proxy saw it: when it came in and when the upstream's answer had been sent back. */
    record Exchange(String method, String path, String query, long receivedNanos, long answeredNanos, int status) {
        double answerMs() {
            return (answeredNanos - receivedNanos) / 1e6;
        }
    }

    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "content-length", "host", "transfer-encoding", "keep-alive", "upgrade", "expect");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private volatile URI upstream;
    private volatile Predicate<String> held = path -> false;
    private volatile Duration hold = Duration.ZERO;
    private final Map<String, String> alsoRewritten = new ConcurrentHashMap<>();

    /** Listens on a free loopback port; forwards to {@code upstream} (null: set later with {@link #upstream(URI)}). */
    LoopbackProxy(URI upstream) {
        this.upstream = upstream;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void upstream(URI to) {
        this.upstream = to;
    }

    /** GETs of paths {@code paths} accepts wait {@code delay} before they are forwarded. */
    void hold(Predicate<String> paths, Duration delay) {
        this.held = paths;
        this.hold = delay;
    }

    /** Answer bodies that name {@code from} name {@code to} instead (another proxy, in front of {@code from}). */
    void rewriteAlso(URI from, URI to) {
        alsoRewritten.put(from.toString(), to.toString());
    }

    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    List<Exchange> exchanges(String pathPrefix) {
        return exchanges.stream().filter(e -> e.path().startsWith(pathPrefix)).toList();
    }

    void clear() {
        exchanges.clear();
    }

    private void forward(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        int status = 502;
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("GET") && held.test(path) && !hold.isZero()) {
                Thread.sleep(hold.toMillis());
            }
            URI base = upstream;
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(base + path + (query == null ? "" : "?" + query)))
                    .timeout(Duration.ofSeconds(60))
                    .method(
                            exchange.getRequestMethod(),
                            body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] out = rewrite(answer, base);
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            status = answer.statusCode();
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            try {
                exchange.sendResponseHeaders(502, -1);
            } catch (IOException ignored) {
                // the answer had started: the caller sees a broken response
            }
        } finally {
            exchanges.add(new Exchange(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    received,
                    System.nanoTime(),
                    status));
        }
    }

    /** A JSON answer with the upstream's address in it gets this proxy's address instead. */
    private byte[] rewrite(HttpResponse<byte[]> answer, URI base) {
        String type = answer.headers().firstValue("content-type").orElse("");
        if (!type.contains("json")) {
            return answer.body();
        }
        String original = new String(answer.body(), StandardCharsets.UTF_8);
        String text = original.replace(base.toString(), baseUrl().toString());
        for (Map.Entry<String, String> other : alsoRewritten.entrySet()) {
            text = text.replace(other.getKey(), other.getValue());
        }
        return text.equals(original) ? answer.body() : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
