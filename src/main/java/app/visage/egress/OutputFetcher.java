package app.visage.egress;

import app.visage.config.VisageConfig;
import app.visage.errors.VisageException;
import app.visage.jobs.port.OutputDownloads;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Downloads a provider's output: from the provider's own configured origin, or else only from a
 * public address (a provider's answer must not steer Visage into the private network). Either way
 * the connection goes to the address resolved here (see {@link PinnedHttp}). No redirects, capped in
 * size and time, and only what says it is an image.
 */
@ApplicationScoped
public class OutputFetcher implements OutputDownloads {
    private final EgressPolicy policy;
    private final PinnedHttp http;
    private final VisageConfig config;

    public OutputFetcher(EgressPolicy policy, PinnedHttp http, VisageConfig config) {
        this.policy = policy;
        this.http = http;
        this.config = config;
    }

    @Override
    public byte[] download(URI url, List<URI> origins) {
        Destination to;
        if (origins.stream().anyMatch(o -> sameOrigin(o, url))) {
            try {
                to = policy.trusted(url);
            } catch (UnknownHostException e) {
                throw new Unavailable("the provider's host does not resolve");
            }
        } else {
            try {
                to = policy.check(url, "output");
            } catch (VisageException e) {
                throw new Rejected("an output URL points outside the provider: " + e.getMessage());
            }
        }
        PinnedHttp.Answer answer;
        try {
            answer = http.get(
                    to,
                    Map.of("accept", "image/*"),
                    config.maxOutputBytes(),
                    config.egress().fetchTimeout());
        } catch (IOException e) {
            throw new Unavailable("an output could not be downloaded: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while downloading an output");
        }
        if (answer.status() != 200) {
            throw new Unavailable("an output answered HTTP " + answer.status());
        }
        String type = answer.contentType();
        if (!type.isEmpty() && !type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
            throw new Rejected("an output is " + type + ", not an image");
        }
        if (answer.tooLarge()) {
            throw new Rejected("an output is larger than " + config.maxOutputBytes() + " bytes");
        }
        return answer.body();
    }

    private static boolean sameOrigin(URI origin, URI url) {
        return origin.getScheme().equalsIgnoreCase(String.valueOf(url.getScheme()))
                && origin.getHost().equalsIgnoreCase(String.valueOf(url.getHost()))
                && port(origin) == port(url);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
