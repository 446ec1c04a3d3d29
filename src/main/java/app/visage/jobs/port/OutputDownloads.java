package app.visage.jobs.port;

import java.net.URI;
import java.util.List;

/** Port: downloads a provider's output; the egress adapter behind it applies the address rules. */
public interface OutputDownloads {

    /**
     * The output's bytes, from the provider's own {@code origin} or else only from a public address.
     *
     * @throws Unavailable when it may work later (not there yet, provider fault)
     * @throws Rejected    when it never will (private address, too large, not an image)
     */
    byte[] download(URI url, List<URI> origins);

    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }
}
