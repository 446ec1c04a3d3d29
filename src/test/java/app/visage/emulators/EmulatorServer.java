package app.visage.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A provider emulator: a real HTTP server on loopback that follows one provider's documented
 * contract. It records every request it receives, serves the output files it produced (on its own
 * host, or as the provider's CDN would, on another host: {@code 127.0.0.2}), and sends webhooks over
 * real HTTP, recording how each was answered. Like a plain HTTP/1.1 server, it takes no chunked request
 * body: a request without a {@code Content-Length} is answered 411 before the emulator reads it.
 */
public abstract class EmulatorServer implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    /** The provider's CDN: another host than the API's, serving only published files. */
    private final HttpServer cdn;

    private final ExecutorService executor = Executors.newCachedThreadPool(daemon("emulator-http"));
    protected final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("emulator-timer"));
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<WebhookDelivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, byte[]> cdnFiles = new ConcurrentHashMap<>();
    private volatile Duration downloadTime = Duration.ZERO;

    protected EmulatorServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
        try {
            cdn = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cdn.setExecutor(executor);
        cdn.createContext("/", this::serveFromCdn);
        cdn.start();
    }

    /** {@code http://127.0.0.2:port}: where {@link #publishOnCdn} serves files (Visage's {@code output-origins}). */
    public URI cdnUrl() {
        return URI.create("http://127.0.0.2:" + cdn.getAddress().getPort());
    }

    /** {@code http://127.0.0.1:port}: what Visage's {@code base-url} for this provider is set to. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request received (output downloads included), in order. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The requests whose path starts with {@code pathPrefix}. */
    public List<Recorded> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    /** Every webhook sent, with the status Visage answered it with (-1 when the call itself failed). */
    public List<WebhookDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The bytes this emulator serves at {@code url} (an output URL it handed out). */
    public byte[] file(String url) {
        URI uri = URI.create(url);
        byte[] bytes = ("127.0.0.2".equals(uri.getHost()) ? cdnFiles : files).get(uri.getPath());
        if (bytes == null) {
            throw new IllegalArgumentException("this emulator never published " + url);
        }
        return bytes;
    }

    /** Forgets recorded requests and deliveries and every scripted behaviour; published files stay. */
    public void reset() {
        requests.clear();
        deliveries.clear();
        downloadTime = Duration.ZERO;
        resetScripts();
    }

    /**
     * Each download of a published file (an output) answers only after {@code time}, as a slow CDN would; zero
     * until set, and again after {@link #reset()}. A test knob, not part of any provider's contract.
     */
    public void downloadTime(Duration time) {
        downloadTime = time;
    }

    protected abstract void resetScripts();

    /** Answers one request that is not a download of a published file. */
    protected abstract void handle(Recorded request, HttpExchange exchange) throws IOException;

    /** Serves {@code bytes} at {@code path} on the API's own host from now on; answers the full URL. */
    protected String publish(String path, byte[] bytes) {
        files.put(path, bytes);
        return baseUrl() + path;
    }

    /** Serves {@code bytes} at {@code path} on the CDN's host (not the API's) from now on; answers the full URL. */
    protected String publishOnCdn(String path, byte[] bytes) {
        cdnFiles.put(path, bytes);
        return cdnUrl() + path;
    }

    protected static String randomName() {
        return UUID.randomUUID().toString();
    }

    protected static void respond(HttpExchange exchange, int status, Object json) throws IOException {
        respond(exchange, status, "application/json", JSON.writeValueAsBytes(json));
    }

    protected static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    /**
     * Answers {@code status} with the first half of {@code json}'s encoding: not the provider's doing but
     * a fault on the way (a proxy or load balancer cutting the body off), so the caller can't read an
     * answer the provider did give. A fault-injection knob, not part of any provider's contract.
     */
    protected static void respondGarbled(HttpExchange exchange, int status, Object json) throws IOException {
        byte[] whole = JSON.writeValueAsBytes(json);
        respond(exchange, status, "application/json", Arrays.copyOf(whole, Math.max(1, whole.length / 2)));
    }

    /** POSTs {@code json} to {@code url} now, on the calling thread, and records and answers the status. */
    protected int sendWebhook(String url, Object json) {
        int status;
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        deliveries.add(new WebhookDelivery(url, body, status));
        return status;
    }

    protected void sendWebhookLater(String url, Object json, Duration delay) {
        scheduler.schedule(() -> sendWebhook(url, json), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fetches a URL the caller handed us (a presigned face_image URL), as the real service would. */
    protected byte[] download(String url) throws IOException {
        try {
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + URI.create(url).getPath() + " answered " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * A real image made from the face photo, {@code width}×{@code height}, in {@code format}
     * ({@code png} or {@code jpeg}): what a generation service would hand back, minus the model.
     */
    protected static byte[] render(byte[] face, int width, int height, String format) throws IOException {
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(face));
        if (source == null) {
            throw new IOException("not an image");
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, format.toLowerCase(Locale.ROOT).equals("jpeg") ? "jpg" : "png", bytes);
        return bytes.toByteArray();
    }

    /**
     * Whether ImageIO decodes {@code bytes} as a whole picture. Its JPEG reader pads a cut-off file with grey
     * and only warns, where the providers' decoders fail; a header claiming a huge picture is refused unread.
     */
    protected static boolean decodes(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return false;
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in);
                if ((long) reader.getWidth(0) * reader.getHeight(0) > 50_000_000L) {
                    return false;
                }
                return reader.read(0) != null
                        && warnings.stream()
                                .map(w -> w.toLowerCase(Locale.ROOT))
                                .noneMatch(w -> w.contains("truncated") || w.contains("premature end"));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestHeaders().containsKey("transfer-encoding")) {
                // What a server that reads bodies by Content-Length only answers; its body goes unread.
                requests.add(new Recorded(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        new byte[0]));
                respond(exchange, 411, "text/plain", "Length Required".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            Recorded request = new Recorded(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes());
            requests.add(request);
            byte[] file = files.get(request.path());
            if (file != null && request.method().equals("GET")) {
                Thread.sleep(downloadTime);
                respond(exchange, 200, request.path().endsWith(".png") ? "image/png" : "image/jpeg", file);
                return;
            }
            handle(request, exchange);
        } catch (RuntimeException e) {
            respond(exchange, 500, Map.of("emulator_bug", String.valueOf(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the exchange closes unanswered
        }
    }

    private void serveFromCdn(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(new Recorded(
                    exchange.getRequestMethod(),
                    path,
                    exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes()));
            byte[] file = cdnFiles.get(path);
            if (file == null || !exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 404, "text/plain", "Not Found".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            Thread.sleep(downloadTime);
            respond(exchange, 200, path.endsWith(".png") ? "image/png" : "image/jpeg", file);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the exchange closes unanswered
        }
    }

    @Override
    public void close() {
        server.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One request as received. Header names are as the JDK server gives them (first letter capitalised). */
    public record Recorded(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A query parameter, URL-decoded. */
        public String queryParam(String name) {
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    public record WebhookDelivery(String url, byte[] body, int status) {}
}
