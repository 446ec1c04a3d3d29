package app.visage.egress;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Fetches a photo from a URL the user gave: https only, public addresses only, no redirects,
 * capped in size and time. A refused URL is the caller's mistake (400 on its field).
 */
@ApplicationScoped
public class PhotoFetcher {
    private final CappedGet get;
    private final VisageConfig config;

    public PhotoFetcher(VisageConfig config) {
        this.config = config;
        this.get = new CappedGet(config.egress().fetchTimeout());
    }

    public byte[] fetch(URI url, long maxBytes, String field) {
        EgressPolicy.check(url, config.egress().allowPrivate(), field);
        try {
            CappedGet.Answer answer = get.get(url, maxBytes);
            if (answer.status() != 200) {
                throw new VisageException(ErrorCode.INVALID_PARAM,
                        field + " could not be fetched: HTTP " + answer.status(), field);
            }
            if (answer.tooLarge()) {
                throw new VisageException(ErrorCode.IMAGE_TOO_LARGE, "the photo is larger than " + maxBytes + " bytes",
                        field);
            }
            return answer.body();
        } catch (IOException e) {
            throw new VisageException(ErrorCode.INVALID_PARAM, field + " could not be fetched", field);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisageException(ErrorCode.INVALID_PARAM, field + " could not be fetched", field);
        }
    }

    /** The address rules for any URL Visage is asked to reach on a user's behalf. */
    public static final class EgressPolicy {
        private EgressPolicy() {
        }

        public static void check(URI url, boolean allowPrivate, String field) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            boolean schemeOk = scheme.equals("https") || (allowPrivate && scheme.equals("http"));
            if (!schemeOk || url.getHost() == null || url.getRawUserInfo() != null) {
                throw new VisageException(ErrorCode.INVALID_PARAM, field + " must be an https URL without credentials", field);
            }
            if (allowPrivate) {
                return;
            }
            try {
                for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
                    if (!isPublic(address)) {
                        throw new VisageException(ErrorCode.INVALID_PARAM, field + " must point to a public address", field);
                    }
                }
            } catch (UnknownHostException e) {
                throw new VisageException(ErrorCode.INVALID_PARAM, field + " names a host that does not resolve", field);
            }
        }

        static boolean isPublic(InetAddress a) {
            if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                    || a.isMulticastAddress()) {
                return false;
            }
            byte[] b = a.getAddress();
            if (b.length == 4) {
                int first = b[0] & 0xff;
                int second = b[1] & 0xff;
                return first != 0 && !(first == 100 && second >= 64 && second < 128); // 0/8, CGNAT 100.64/10
            }
            return (b[0] & 0xfe) != 0xfc; // IPv6 unique local fc00::/7
        }
    }
}
