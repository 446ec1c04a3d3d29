package app.visage.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local mode's web console: the static files under {@code console/} on local mode's class path
 * (src/local/resources, never in the Lambda artifact), at {@code /} and {@code /console/<file>}.
 */
@ApplicationScoped
public class LocalConsole {
    /** One flat file name: no slash, dot segment or escape can reach anything but the console's own files. */
    private static final Pattern FILE = Pattern.compile("/console/([a-z0-9][a-z0-9-]*)\\.(html|css|js|svg)");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");

    private final String contentSecurityPolicy;

    public LocalConsole(LocalS3 s3) {
        URI origin = s3.endpoint();
        // Outputs are presigned URLs on the embedded S3 (another port), or data URIs; the photo preview is a blob.
        this.contentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob: " + origin.getScheme() + "://"
                + origin.getRawAuthority() + "; object-src 'none'; base-uri 'none'; form-action 'none';"
                + " frame-ancestors 'none'";
    }

    /** Whether {@code path} is the console's rather than the API's. */
    static boolean owns(String method, String path) {
        return method.equals("GET") && (path.equals("/") || path.startsWith("/console/"));
    }

    /** The file {@code path} names, or empty when it names none. */
    Optional<APIGatewayV2HTTPResponse> serve(String path) {
        String file = path.equals("/") ? "/console/index.html" : path;
        Matcher m = FILE.matcher(file);
        if (!m.matches()) {
            return Optional.empty();
        }
        byte[] body;
        try (InputStream in = LocalConsole.class.getClassLoader().getResourceAsStream(file.substring(1))) {
            if (in == null) {
                return Optional.empty();
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withHeaders(Map.of(
                        "content-type", TYPES.get(m.group(2)),
                        "cache-control", "no-cache",
                        "content-security-policy", contentSecurityPolicy,
                        "x-content-type-options", "nosniff",
                        "referrer-policy", "no-referrer"))
                .withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true)
                .build());
    }
}
