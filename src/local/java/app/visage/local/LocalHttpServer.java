package app.visage.local;

import app.visage.api.HttpResponses;
import app.visage.api.Route;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Serves the HTTP API locally the way API Gateway does in AWS: each request becomes the HTTP API
 * (payload 2.0) event a Lambda would receive, goes to the function its route names, and the
 * function's answer becomes the HTTP response.
 */
@ApplicationScoped
public class LocalHttpServer {
    private static final Logger LOG = Logger.getLogger(LocalHttpServer.class);
    private static final Pattern TEXT =
            Pattern.compile("(text/.*|application/(json|[\\w.+-]*\\+json|x-www-form-urlencoded))?");
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern(
                    "dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final LocalFunctions functions;
    private final LocalConfig config;
    private final LocalConsole console;
    private HttpServer server;
    private ExecutorService executor;

    public LocalHttpServer(LocalFunctions functions, LocalConfig config, LocalConsole console) {
        this.functions = functions;
        this.config = config;
        this.console = console;
    }

    /** Starts on {@code host:port} (port 0 picks a free one) unless running; answers the bound port. */
    public synchronized int start(String host, int port) throws IOException {
        if (server != null) {
            return server.getAddress().getPort();
        }
        if (LiveReload.active()) {
            server = LiveReload.server(new InetSocketAddress(host, port), 64);
            LiveReload.handleWith(this::handle);
            return server.getAddress().getPort();
        }
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        executor = Executors.newFixedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4), r -> {
            Thread t = new Thread(r, "visage-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress().getPort();
    }

    @PreDestroy
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        if (executor == null) {
            // Dev mode: the server stays up for the restarted application; only this run's handler goes.
            LiveReload.handleWith(null);
        } else {
            server.stop(0);
            executor.shutdownNow();
        }
        server = null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        // Requests run application code: give them this application's class loader, whoever made the thread.
        Thread.currentThread().setContextClassLoader(LocalHttpServer.class.getClassLoader());
        try (exchange) {
            APIGatewayV2HTTPResponse response;
            try {
                response = dispatch(exchange);
            } catch (VisageException e) {
                response = HttpResponses.error(e);
            } catch (RuntimeException e) {
                response = HttpResponses.internalError(e);
            }
            write(exchange, response);
        } catch (IOException e) {
            LOG.debugf("client went away: %s", e.getClass().getName());
        }
    }

    private APIGatewayV2HTTPResponse dispatch(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        if (LocalConsole.owns(method, path)) {
            return console.serve(path).orElseThrow(() -> new VisageException(ErrorCode.NOT_FOUND, "no such file"));
        }
        if (LocalOpenApi.owns(method, path)) {
            return LocalOpenApi.serve().orElseThrow(() -> new VisageException(ErrorCode.NOT_FOUND, "no such file"));
        }
        Route.Match match =
                Route.match(method, path).orElseThrow(() -> new VisageException(ErrorCode.NOT_FOUND, "no such route"));
        byte[] body = readBody(exchange.getRequestBody());
        return functions.invoke(match.route().function(), toEvent(exchange, method, path, match, body));
    }

    private byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(config.maxBodyBytes() + 1);
        if (body.length > config.maxBodyBytes()) {
            throw new VisageException(ErrorCode.IMAGE_TOO_LARGE, "the request body is too large");
        }
        return body;
    }

    /** The event API Gateway builds: lower-case headers (repeats joined by commas), decoded query values, base64 for binary bodies. */
    static APIGatewayV2HTTPEvent toEvent(
            HttpExchange exchange, String method, String path, Route.Match match, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String rawQuery =
                Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                query.merge(
                        URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "",
                        (a, b) -> a + "," + b);
            }
        }
        String contentType =
                headers.getOrDefault("content-type", "").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean text = TEXT.matcher(contentType).matches();
        Instant now = Instant.now();
        String host = headers.getOrDefault("host", "localhost");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(path)
                .withRawQueryString(rawQuery)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName(host)
                        .withDomainPrefix(host.split("[.:]", 2)[0])
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey(match.route().routeKey())
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(
                                        exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .build())
                .withBody(
                        body.length == 0
                                ? null
                                : text
                                        ? new String(body, StandardCharsets.UTF_8)
                                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .build();
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        if (response.getHeaders() != null) {
            response.getHeaders()
                    .forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders()
                    .forEach((k, v) -> exchange.getResponseHeaders().put(k, List.copyOf(v)));
        }
        String raw = response.getBody();
        byte[] body = raw == null
                ? new byte[0]
                : response.getIsBase64Encoded()
                        ? Base64.getDecoder().decode(raw)
                        : raw.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.getStatusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
