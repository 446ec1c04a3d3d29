package app.visage.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client's webhook endpoint on loopback: keeps every delivery (headers by lower-case name, body as sent) and
 * answers each with the next scripted answer (200 when none is left).
 */
final class Receiver implements AutoCloseable {
    private final HttpServer server;
    final List<Delivery> received = new CopyOnWriteArrayList<>();
    private final Deque<Reply> replies = new ArrayDeque<>();

    record Delivery(Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.get(name).get(0);
        }

        /** Headers as the Standard Webhooks libraries take them: one value each. */
        Map<String, String> singleHeaders() {
            Map<String, String> single = new TreeMap<>();
            headers.forEach((name, values) -> single.put(name, values.get(0)));
            return single;
        }
    }

    /** An answer: a status, and a {@code Retry-After} header when not null. */
    record Reply(int status, String retryAfter) {}

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks", exchange -> {
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            received.add(new Delivery(
                    headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Reply reply;
            synchronized (replies) {
                reply = replies.isEmpty() ? new Reply(200, null) : replies.poll();
            }
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
            }
            exchange.sendResponseHeaders(reply.status(), -1);
            exchange.close();
        });
        server.start();
    }

    void answer(int status) {
        answer(status, null);
    }

    void answer(int status, String retryAfter) {
        synchronized (replies) {
            replies.add(new Reply(status, retryAfter));
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
