package app.visage.egress;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Fetches a photo from a URL the user gave, under the {@link EgressPolicy} and pinned to the address
 * it checked: no redirects, capped in size and time. A refused URL is the caller's mistake (400 on its field).
 */
@ApplicationScoped
public class PhotoFetcher {
    private final EgressPolicy policy;
    private final PinnedHttp http;
    private final VisageConfig config;

    public PhotoFetcher(EgressPolicy policy, PinnedHttp http, VisageConfig config) {
        this.policy = policy;
        this.http = http;
        this.config = config;
    }

    public byte[] fetch(URI url, long maxBytes, String field) {
        Destination to = policy.check(url, field);
        try {
            PinnedHttp.Answer answer = http.get(
                    to, Map.of("accept", "image/*"), maxBytes, config.egress().fetchTimeout());
            if (answer.status() != 200) {
                throw new VisageException(
                        ErrorCode.INVALID_PARAM, field + " could not be fetched: HTTP " + answer.status(), field);
            }
            if (answer.tooLarge()) {
                throw new VisageException(
                        ErrorCode.IMAGE_TOO_LARGE, "the photo is larger than " + maxBytes + " bytes", field);
            }
            return answer.body();
        } catch (IOException e) {
            throw new VisageException(ErrorCode.INVALID_PARAM, field + " could not be fetched", field);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisageException(ErrorCode.INVALID_PARAM, field + " could not be fetched", field);
        }
    }
}
