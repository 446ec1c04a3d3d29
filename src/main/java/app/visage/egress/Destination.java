package app.visage.egress;

import java.net.InetAddress;
import java.net.URI;

/**
 * A URL and the one address it was checked at. Only {@link EgressPolicy} makes them, and
 * {@link PinnedHttp} connects to nothing else: the name is not looked up again between the check and
 * the connection, so a DNS answer that changes in between (rebinding) cannot move the request.
 */
public final class Destination {
    private final URI url;
    private final InetAddress address;

    Destination(URI url, InetAddress address) {
        this.url = url;
        this.address = address;
    }

    public URI url() {
        return url;
    }

    InetAddress address() {
        return address;
    }
}
