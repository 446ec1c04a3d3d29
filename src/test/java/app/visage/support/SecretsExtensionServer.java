package app.visage.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Parameters and Secrets Lambda Extension on loopback: answers its documented {@code /secretsmanager/get} for
 * one ARN with GetSecretValue's JSON, the secret being whatever the test put last; or 500 while it is down.
 */
public final class SecretsExtensionServer implements AutoCloseable {
    public static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:visage-keys-AbCdEf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final AtomicInteger reads = new AtomicInteger();
    private volatile Map<String, String> secret = Map.of();
    private volatile boolean down;

    public SecretsExtensionServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/secretsmanager/get", exchange -> {
            reads.incrementAndGet();
            String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            boolean ok = !down
                    && query.equals("secretId=" + ARN)
                    && exchange.getRequestHeaders().containsKey("X-aws-parameters-secrets-token");
            byte[] body = ok
                    ? JSON.writeValueAsBytes(
                            Map.of("ARN", ARN, "Name", "visage-keys", "SecretString", JSON.writeValueAsString(secret)))
                    : new byte[0];
            exchange.sendResponseHeaders(ok ? 200 : 500, ok ? body.length : -1);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What the secret holds from now on, as {@code put-secret-value} would make it. */
    public void put(Map<String, String> values) {
        secret = Map.copyOf(values);
    }

    public void down(boolean down) {
        this.down = down;
    }

    /** How many reads reached the extension. */
    public int reads() {
        return reads.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
