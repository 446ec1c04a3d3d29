package app.visage.egress;

import app.visage.config.VisageConfig;
import app.visage.errors.VisageException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;

/**
 * Downloads a provider's output: from the provider's own configured origin, or else only from a
 * public address (a provider's answer must not steer Visage into the private network). No
 * redirects, capped in size and time, and only what says it is an image.
 */
@ApplicationScoped
public class OutputFetcher {
    private final HttpClient client;
    private final VisageConfig config;

    public OutputFetcher(VisageConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.egress().fetchTimeout())
                .build();
    }

    /**
     * @throws Unavailable when it may work later (not there yet, provider fault)
     * @throws Rejected    when it never will (private address, too large, not an image)
     */
    public byte[] fetch(URI url, Optional<URI> origin) {
        if (!origin.map(o -> sameOrigin(o, url)).orElse(false)) {
            try {
                PhotoFetcher.EgressPolicy.check(url, config.egress().allowPrivate(), "output");
            } catch (VisageException e) {
                throw new Rejected("an output URL points outside the provider: " + e.getMessage());
            }
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(config.egress().fetchTimeout())
                .header("accept", "image/*").GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new Unavailable("an output answered HTTP " + response.statusCode());
                }
                String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
                if (!type.isEmpty() && !type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
                    throw new Rejected("an output is " + type + ", not an image");
                }
                byte[] bytes = body.readNBytes((int) config.maxOutputBytes() + 1);
                if (bytes.length > config.maxOutputBytes()) {
                    throw new Rejected("an output is larger than " + config.maxOutputBytes() + " bytes");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new Unavailable("an output could not be downloaded: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while downloading an output");
        }
    }

    private static boolean sameOrigin(URI origin, URI url) {
        return origin.getScheme().equalsIgnoreCase(String.valueOf(url.getScheme()))
                && origin.getHost().equalsIgnoreCase(String.valueOf(url.getHost()))
                && port(origin) == port(url);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }
}
