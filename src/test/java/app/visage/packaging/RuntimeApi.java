package app.visage.packaging;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Lambda Runtime API (version 2018-06-01) of one function, on 127.0.0.1 and an ephemeral port:
 * what a runtime polls for events and answers to. A test queues an event with {@link #invoke} and
 * gets the function's answer, as the Lambda service would pass it back to its caller.
 *
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next}: waits until an event is queued, then answers
 *       it with {@code Lambda-Runtime-Aws-Request-Id}, {@code Lambda-Runtime-Deadline-Ms},
 *       {@code Lambda-Runtime-Invoked-Function-Arn} and {@code Lambda-Runtime-Trace-Id};
 *   <li>{@code POST /2018-06-01/runtime/invocation/{requestId}/response}: the answer (202);
 *   <li>{@code POST /2018-06-01/runtime/invocation/{requestId}/error}: the invocation failed (202);
 *   <li>{@code POST /2018-06-01/runtime/init/error}: the runtime could not start (202); every
 *       waiting and later invocation fails with its body.
 * </ul>
 *
 * An unknown request id answers 400 {@code InvalidRequestID}, as the real API does.
 */
public final class RuntimeApi implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime/";
    private static final String INVOCATION = BASE + "invocation/";
    private static final String ERROR_TYPE = "Lambda-Runtime-Function-Error-Type";

    /** The function reported an error, or its runtime failed to start or went away. */
    public static final class FunctionError extends RuntimeException {
        private final String errorType;
        private final String body;

        FunctionError(String what, String errorType, String body) {
            super(what + (errorType == null ? "" : " (" + errorType + ")") + ": " + body);
            this.errorType = errorType;
            this.body = body;
        }

        public String errorType() {
            return errorType;
        }

        public String body() {
            return body;
        }
    }

    private record Invocation(String requestId, byte[] event, long deadlineMs, CompletableFuture<String> answer) {}

    private final String functionArn;
    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Invocation> queued = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> polled = new CompletableFuture<>();
    private volatile FunctionError fatal;
    /** {@link System#nanoTime()} of the first {@code /next} call, 0 before it. */
    private volatile long firstPollNanos;
    /** {@link System#nanoTime()} of the latest answer posted to {@code /response} or {@code /error}. */
    private volatile long lastAnswerNanos;

    private volatile boolean closed;

    private RuntimeApi(String functionArn) throws IOException {
        this.functionArn = functionArn;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Several threads: GET /next holds one while it waits, and must not hold up anything else.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** Starts the API for the function of {@code functionArn} (the ARN its events say they invoked). */
    public static RuntimeApi start(String functionArn) throws IOException {
        return new RuntimeApi(functionArn);
    }

    /** {@code 127.0.0.1:PORT}: the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
    }

    /**
     * Waits until the runtime has initialised and asks for its first event: a runtime calls
     * {@code /next} only once its handler is loaded. Throws the init error if it reported one.
     */
    public void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            polled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (FunctionError) e.getCause();
        }
    }

    /**
     * Invokes the function with {@code eventJson} and answers the body the runtime posted to
     * {@code /response}. Throws {@link FunctionError} with the body posted to {@code /error} or
     * {@code /init/error}, and {@link TimeoutException} when no answer came within {@code timeout}
     * (the invocation's deadline).
     */
    public String invoke(String eventJson, Duration timeout) throws InterruptedException, TimeoutException {
        FunctionError failure = fatal;
        if (failure != null) {
            throw failure;
        }
        Invocation invocation = new Invocation(
                UUID.randomUUID().toString(),
                eventJson.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() + timeout.toMillis(),
                new CompletableFuture<>());
        queued.add(invocation);
        failure = fatal;
        if (failure != null && queued.remove(invocation)) {
            throw failure; // failed while this one was being queued: nothing will take it
        }
        try {
            return invocation.answer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (FunctionError) e.getCause();
        } catch (TimeoutException e) {
            queued.remove(invocation);
            inFlight.remove(invocation.requestId());
            throw new TimeoutException("no answer to invocation " + invocation.requestId() + " within " + timeout);
        }
    }

    /**
     * Fails every waiting and later invocation with {@code reason}: the runtime is gone (its process
     * ended) and nothing will answer them.
     */
    public void abort(String reason) {
        fail(new FunctionError("runtime gone", null, reason));
    }

    private void fail(FunctionError error) {
        if (fatal == null) {
            fatal = error;
        }
        polled.completeExceptionally(error);
        Invocation invocation;
        while ((invocation = queued.poll()) != null) {
            invocation.answer().completeExceptionally(error);
        }
        inFlight.values().forEach(i -> i.answer().completeExceptionally(error));
        inFlight.clear();
    }

    /** When the runtime first asked for an event ({@link System#nanoTime()}), 0 if it has not yet. */
    public long firstPollNanos() {
        return firstPollNanos;
    }

    /** When the latest answer (response or error) was posted ({@link System#nanoTime()}), 0 if none yet. */
    public long lastAnswerNanos() {
        return lastAnswerNanos;
    }

    @Override
    public void close() {
        closed = true;
        abort("runtime API closed");
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals(INVOCATION + "next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals(BASE + "init/error")) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                fail(new FunctionError(
                        "init error",
                        exchange.getRequestHeaders().getFirst(ERROR_TYPE),
                        new String(body, StandardCharsets.UTF_8)));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST")
                    && path.startsWith(INVOCATION)
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                finish(exchange, path);
            } else {
                send(exchange, 404, "{\"errorMessage\":\"Unknown path\",\"errorType\":\"NotFound\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Long-polls: a runtime waits here between invocations for as long as it takes. */
    private void next(HttpExchange exchange) throws IOException, InterruptedException {
        if (firstPollNanos == 0) {
            firstPollNanos = System.nanoTime();
        }
        polled.complete(null);
        Invocation invocation = null;
        while (invocation == null) {
            if (closed) {
                send(exchange, 500, "{\"errorMessage\":\"runtime API closed\",\"errorType\":\"ServiceException\"}");
                return;
            }
            invocation = queued.poll(200, TimeUnit.MILLISECONDS);
        }
        inFlight.put(invocation.requestId(), invocation);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.set("Lambda-Runtime-Trace-Id", traceId());
        exchange.sendResponseHeaders(200, invocation.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.event());
        }
    }

    private void finish(HttpExchange exchange, String path) throws IOException {
        String rest = path.substring(INVOCATION.length());
        int slash = rest.indexOf('/');
        String requestId = rest.substring(0, slash);
        String outcome = rest.substring(slash + 1);
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Invocation invocation = inFlight.remove(requestId);
        if (invocation == null || !(outcome.equals("response") || outcome.equals("error"))) {
            send(exchange, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        lastAnswerNanos = System.nanoTime();
        String text = new String(body, StandardCharsets.UTF_8);
        if (outcome.equals("response")) {
            invocation.answer().complete(text);
        } else {
            invocation
                    .answer()
                    .completeExceptionally(new FunctionError(
                            "invocation error", exchange.getRequestHeaders().getFirst(ERROR_TYPE), text));
        }
        send(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An X-Ray trace header as Lambda passes it: {@code Root=1-<epoch hex>-<96 bits>;Parent=<64 bits>;Sampled=0}. */
    private static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        random.nextBytes(root);
        random.nextBytes(parent);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + HexFormat.of().formatHex(root) + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0";
    }
}
