package app.visage.egress;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/** One GET of an image, as every fetch makes it: no redirects, a time limit, and never more than the cap read. */
final class CappedGet {
    private final HttpClient client;
    private final Duration timeout;

    CappedGet(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
                .build();
    }

    /** The answer; its body is read only for a 200 within {@code maxBytes}, as far as its declared length allows. */
    Answer get(URI url, long maxBytes) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("accept", "image/*").GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
            if (response.statusCode() != 200) {
                return new Answer(response.statusCode(), type, null);
            }
            if (response.headers().firstValueAsLong("content-length").orElse(-1) > maxBytes) {
                return Answer.tooLarge(type);
            }
            byte[] bytes = body.readNBytes((int) maxBytes + 1);
            return bytes.length > maxBytes ? Answer.tooLarge(type) : new Answer(200, type, bytes);
        }
    }

    /** {@code body} is null when not read: not a 200, or larger than the cap. */
    record Answer(int status, String contentType, byte[] body) {
        static Answer tooLarge(String contentType) {
            return new Answer(200, contentType, null);
        }

        boolean tooLarge() {
            return status == 200 && body == null;
        }
    }
}
