package app.visage.egress;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP to a {@link Destination}: the TCP connection goes to the address the policy checked, never to
 * a fresh lookup of the name, while the Host header, TLS SNI and certificate host name check all use
 * the URL's host. Vert.x's client does this ({@code RequestOptions.setServer}: the server address
 * apart from the host), and Quarkus ships and builds it natively. No redirects, no keep-alive (every
 * request a new, checked connection), a time limit on the whole exchange, and never more than the cap read.
 * Blocking: call it from a worker thread, never an event loop.
 */
@ApplicationScoped
public class PinnedHttp {
    private final HttpClient client;

    @Inject
    public PinnedHttp(Vertx vertx) {
        this(vertx, null);
    }

    /** {@code trust} null: the JVM's trusted certificate authorities. */
    PinnedHttp(Vertx vertx, TrustOptions trust) {
        HttpClientOptions options =
                new HttpClientOptions().setKeepAlive(false).setVerifyHost(true).setTrustOptions(trust);
        this.client = vertx.createHttpClient(options);
    }

    /** A GET; the body is read only for a 200 within {@code maxBytes}, as far as its declared length allows. */
    public Answer get(Destination to, Map<String, String> headers, long maxBytes, Duration timeout)
            throws IOException, InterruptedException {
        return exchange(to, HttpMethod.GET, headers, null, maxBytes, timeout);
    }

    /** A POST of {@code body}; answers the status and {@code Retry-After}, the answer's body unread. */
    public Answer post(Destination to, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        return exchange(to, HttpMethod.POST, headers, Buffer.buffer(body), 0, timeout);
    }

    private Answer exchange(
            Destination to,
            HttpMethod method,
            Map<String, String> headers,
            Buffer body,
            long maxBytes,
            Duration timeout)
            throws IOException, InterruptedException {
        URI url = to.url();
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
        String host = url.getHost(); // an IPv6 literal keeps its brackets in the Host header only
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setSsl(tls)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(literal(to.address()), port)))
                .setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                .setPort(port)
                .setURI(target(url))
                .setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis())
                .setIdleTimeout(timeout.toMillis())
                .putHeader("host", url.getPort() != -1 ? host + ":" + port : host);
        headers.forEach(options::putHeader);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        Future<Answer> answer = client.request(options)
                .compose(request -> {
                    sent.set(request);
                    return body == null ? request.send() : request.send(body);
                })
                .compose(response -> read(response, maxBytes));
        try {
            return answer.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (TimeoutException e) {
            abort(sent.get());
            throw new IOException("no complete answer within " + timeout);
        } catch (InterruptedException e) {
            abort(sent.get());
            throw e;
        }
    }

    private static Future<Answer> read(HttpClientResponse response, long maxBytes) {
        String contentType = Objects.requireNonNullElse(response.getHeader("content-type"), "")
                .toLowerCase(Locale.ROOT);
        if (response.statusCode() != 200) {
            abort(response);
            return Future.succeededFuture(
                    new Answer(response.statusCode(), contentType, null, response.getHeader("retry-after")));
        }
        if (declaredLength(response) > maxBytes) {
            abort(response);
            return Future.succeededFuture(Answer.tooLarge(contentType));
        }
        Promise<Answer> done = Promise.promise();
        Buffer bytes = Buffer.buffer();
        response.handler(chunk -> {
            if (bytes.length() + chunk.length() > maxBytes) {
                done.tryComplete(Answer.tooLarge(contentType));
                abort(response);
            } else {
                bytes.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(done::tryFail);
        long declared = declaredLength(response);
        response.endHandler(v -> {
            if (declared >= 0 && bytes.length() != declared) {
                // A body cut short is a failed exchange, to try again, not an answer to judge.
                done.tryFail(new IOException("answer ended after " + bytes.length() + " of " + declared + " bytes"));
            } else {
                done.tryComplete(new Answer(200, contentType, bytes.getBytes(), null));
            }
        });
        return done.future();
    }

    private static long declaredLength(HttpClientResponse response) {
        try {
            String length = response.getHeader("content-length");
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops an exchange that is over for us: with no keep-alive, this closes its connection. */
    private static void abort(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    /** The same once its answer has begun, whose unread rest is of no interest (nor the reset it ends in). */
    private static void abort(HttpClientResponse response) {
        try {
            response.exceptionHandler(ignored -> {});
        } catch (IllegalStateException ended) {
            return; // a body-less answer can have ended already (Vert.x refuses handlers then): nothing to stop
        }
        abort(response.request());
    }

    private static String target(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    /** The address alone, without any host name it was looked up by: nothing left for anyone to resolve. */
    private static InetAddress literal(InetAddress address) throws IOException {
        return InetAddress.getByAddress(address.getAddress());
    }

    /** {@code body} is null when not read: not a 200, or larger than the cap; {@code retryAfter} as sent, if any. */
    public record Answer(int status, String contentType, byte[] body, String retryAfter) {
        static Answer tooLarge(String contentType) {
            return new Answer(200, contentType, null, null);
        }

        public boolean tooLarge() {
            return status == 200 && body == null;
        }
    }
}
