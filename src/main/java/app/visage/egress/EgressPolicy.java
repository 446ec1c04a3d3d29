package app.visage.egress;

import app.visage.config.VisageConfig;
import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for any URL Visage is asked to reach on someone else's behalf: https (http too, and any
 * address, only with {@code visage.egress.allow-private}), no credentials, a host written plainly,
 * and every address it resolves to public. A refused URL is the caller's mistake: 400 on its field.
 */
@ApplicationScoped
public class EgressPolicy {
    /** The canonical dotted quad: four decimal numbers up to 255, no leading zeros. */
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    /**
     * A last label a browser would read as a number (WHATWG URL "ends in a number"): such a host is
     * an IPv4 address in some spelling ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}, {@code 127.1}).
     */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("\\d+|0[xX][0-9a-fA-F]*");

    private static final Pattern HOST_NAME =
            Pattern.compile("(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
    /** A bracketed IPv6 literal without a zone: Java parses it without any lookup. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-fA-F:.]+]");

    private static final List<Block> IPV4_NOT_PUBLIC = Block.all(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.88.99.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/4",
            "240.0.0.0/4");
    /** IPv6 blocks that are never a public server; the ones that embed an IPv4 address are judged by it. */
    private static final List<Block> IPV6_NOT_PUBLIC = Block.all(
            "::/96",
            "64:ff9b:1::/48",
            "100::/64",
            "2001::/23",
            "2001:db8::/32",
            "3fff::/20",
            "fc00::/7",
            "fe80::/10",
            "fec0::/10",
            "ff00::/8");

    private static final Block IPV4_MAPPED = new Block(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0},
            96); // ::ffff:0:0/96, which Java would not parse as IPv6
    private static final Block NAT64 = Block.of("64:ff9b::/96");
    private static final Block SIX_TO_FOUR = Block.of("2002::/16");

    /** How a host name becomes addresses: the system resolver, or a test's. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;
    private final boolean allowPrivate;

    @Inject
    public EgressPolicy(VisageConfig config) {
        this(InetAddress::getAllByName, config.egress().allowPrivate());
    }

    EgressPolicy(Resolver resolver, boolean allowPrivate) {
        this.resolver = resolver;
        this.allowPrivate = allowPrivate;
    }

    /**
     * Checks {@code url} and answers where to connect for it: the first address its host resolves to,
     * all of which passed. Literals are read without a lookup; a host that looks like a number but is not
     * a canonical dotted quad is refused before anything is resolved.
     *
     * @throws VisageException invalid_param on {@code field} when the URL is refused
     */
    public Destination check(URI url, String field) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        boolean schemeOk = scheme.equals("https") || (allowPrivate && scheme.equals("http"));
        if (!schemeOk
                || url.isOpaque()
                || url.getRawUserInfo() != null
                || url.getPort() == 0
                || url.getPort() > 65535) {
            throw refused(field, field + " must be an https URL without credentials");
        }
        if (url.getHost() == null) { // percent-encoded, non-ASCII or otherwise not a server's name
            throw refused(field, field + " must name its host in plain letters, digits and hyphens");
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        InetAddress[] addresses;
        try {
            addresses = addresses(host, field);
        } catch (UnknownHostException e) {
            throw refused(field, field + " names a host that does not resolve");
        }
        if (addresses.length == 0) {
            throw refused(field, field + " names a host that does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw refused(field, field + " must point to a public address");
                }
            }
        }
        return new Destination(url, addresses[0]);
    }

    /**
     * A URL of a configured origin (a provider's own base URL), trusted as configuration is: resolved
     * once and pinned like any other, but not held to the address rules.
     */
    Destination trusted(URI url) throws UnknownHostException {
        String host = url.getHost();
        if (host == null) {
            throw new UnknownHostException("no host");
        }
        return new Destination(
                url,
                IPV6_LITERAL.matcher(host).matches()
                                || DOTTED_QUAD.matcher(host).matches()
                        ? InetAddress.getByName(host)
                        : resolver.resolve(host)[0]);
    }

    private InetAddress[] addresses(String host, String field) throws UnknownHostException {
        if (host.startsWith("[")) {
            if (!IPV6_LITERAL.matcher(host).matches()) {
                throw refused(field, field + " must not give an IPv6 zone");
            }
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        String[] labels = host.split("\\.", -1);
        String last = labels[labels.length - 1].isEmpty() && labels.length > 1
                ? labels[labels.length - 2]
                : labels[labels.length - 1]; // "127.0.0.1." ends in a number too
        if (NUMERIC_LABEL.matcher(last).matches()) {
            if (!DOTTED_QUAD.matcher(host).matches()) {
                throw refused(field, field + " must write an IPv4 address as four decimal numbers");
            }
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        if (host.length() > 253 || !HOST_NAME.matcher(host).matches()) {
            throw refused(field, field + " must name its host in plain letters, digits and hyphens");
        }
        if (!allowPrivate && (host.equals("localhost") || host.endsWith(".localhost"))) {
            throw refused(field, field + " must point to a public address");
        }
        return resolver.resolve(host);
    }

    static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return IPV4_NOT_PUBLIC.stream().noneMatch(block -> block.contains(b));
        }
        if (IPV4_MAPPED.contains(b) || NAT64.contains(b)) {
            return isPublic(ipv4(b, 12));
        }
        if (SIX_TO_FOUR.contains(b)) {
            return isPublic(ipv4(b, 2));
        }
        return IPV6_NOT_PUBLIC.stream().noneMatch(block -> block.contains(b));
    }

    private static InetAddress ipv4(byte[] b, int from) {
        try {
            return InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static VisageException refused(String field, String message) {
        return new VisageException(ErrorCode.INVALID_PARAM, message, field);
    }

    /** An address block: its first {@code bits} bits. */
    private record Block(byte[] prefix, int bits) {
        static List<Block> all(String... cidrs) {
            return Arrays.stream(cidrs).map(Block::of).toList();
        }

        /** From a CIDR of literals only (no lookup), none of them IPv4-mapped. */
        static Block of(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                return new Block(
                        InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
