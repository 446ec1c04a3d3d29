package app.visage.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.dev.console.DevConsoleManager;
import io.quarkus.dev.spi.HotReplacementContext;
import io.quarkus.runtime.LaunchMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Live reload for local mode under {@code quarkus:dev}. Quarkus rescans sources when its own HTTP server
 * takes a request; local mode's server is the JDK's, so it asks for the scan itself. Since a scan that finds
 * a change restarts the application from inside the request, the server and its front door outlive
 * restarts (kept in dev mode's globals, which live above the restarting class loader) and the request is
 * then answered by the new application's handler.
 */
final class LiveReload {
    private static final Logger LOG = Logger.getLogger(LiveReload.class);
    private static final String SERVER = "visage.local.http-server";
    private static final String HANDLER = "visage.local.http-handler";

    private LiveReload() {}

    /** True under {@code quarkus:dev}; never in a packaged application or in tests. */
    static boolean active() {
        return LaunchMode.current() == LaunchMode.DEVELOPMENT && DevConsoleManager.getHotReplacementContext() != null;
    }

    /**
     * The server a previous run of the application left for this one, or a new one on {@code host:port}
     * whose requests all pass the front door. Only JDK types are kept across restarts, and the front door
     * is the first run's class: one old class loader kept, not one per reload.
     */
    static HttpServer server(InetSocketAddress address, int backlog) throws IOException {
        HttpServer kept = DevConsoleManager.getGlobal(SERVER);
        if (kept != null && kept.getAddress().getPort() == address.getPort()) {
            return kept;
        }
        HttpServer server = HttpServer.create(address, backlog);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", LiveReload::frontDoor);
        server.start();
        DevConsoleManager.setGlobal(SERVER, server);
        return server;
    }

    /** This run's handler takes the requests from now on (null between a stop and the next start). */
    static void handleWith(HttpHandler handler) {
        DevConsoleManager.setGlobal(HANDLER, handler);
    }

    private static void frontDoor(HttpExchange exchange) throws IOException {
        HotReplacementContext context = DevConsoleManager.getHotReplacementContext();
        try {
            context.doScan(false);
        } catch (Exception e) {
            LOG.warnf("live reload scan failed: %s", e.getClass().getName());
        }
        HttpHandler current = DevConsoleManager.getGlobal(HANDLER);
        Throwable problem = context.getDeploymentProblem();
        if (current == null || problem != null) {
            // Compilation or start-up failed: say so until the next edit fixes it (each request scans again).
            String message = "dev mode: the application did not start: " + problem;
            byte[] body = ("{\"error\":{\"code\":\"internal_error\",\"message\":\"" + jsonText(message) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            try (exchange) {
                exchange.getResponseHeaders().set("content-type", "application/json");
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
            }
            return;
        }
        current.handle(exchange);
    }

    /** The text as a JSON string's content: the compiler's colour codes dropped, line breaks as spaces. */
    private static String jsonText(String text) {
        return text.replaceAll("\u001b\\[[0-9;]*m", "")
                .replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replaceAll("\\p{Cntrl}", " ");
    }
}
