package app.visage.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A fault-injecting HTTP proxy on loopback, between the AWS SDK (and presigned URLs) and the embedded S3.
 * Each request is read whole, then matched against the armed {@link Rule}s: the first that applies may
 * answer it with an S3 error without forwarding it (the write did not happen), or forward it and then
 * drop the answer (the write happened, but the caller never hears so). Unmatched requests are forwarded
 * as they are, headers included, so SigV4 signatures (which cover the Host header) still verify.
 *
 * <p>One request per connection: the upstream request carries {@code Connection: close}, and so does the
 * answer, so a response's end is the upstream's end of stream, whatever its framing. Every request is
 * logged with what became of it, and bodies of writes that reached S3 are kept, so a test can replay
 * the history of a key (e.g. every state a job record was ever in).
 */
public final class S3FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final URI upstream;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "s3-fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Exchange> log = new CopyOnWriteArrayList<>();

    public S3FaultProxy(URI upstream) {
        this.upstream = upstream;
        try {
            server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool.execute(this::accept);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Arms a rule; rules are tried in the order they were armed. */
    public Rule arm(Rule rule) {
        rules.add(rule);
        return rule;
    }

    /** Disarms every rule and forgets the log. */
    public void reset() {
        rules.clear();
        log.clear();
    }

    public void disarm() {
        rules.clear();
    }

    /** Every request seen since the last reset, in the order their answers were decided. */
    public List<Exchange> log() {
        return List.copyOf(log);
    }

    /** The requests for {@code key} by {@code method}. */
    public List<Exchange> log(String method, String key) {
        return log.stream()
                .filter(e -> e.method().equals(method) && key.equals(e.key()))
                .toList();
    }

    /** What became of one request. */
    public enum Fate {
        /** Forwarded, and its answer passed on. */
        FORWARDED,
        /** Answered by the proxy with an error; S3 never saw it. */
        INJECTED,
        /** Forwarded (S3 did it), but the answer was dropped. */
        DROPPED
    }

    /**
     * One request: {@code status} is what S3 answered (for FORWARDED and DROPPED) or what the proxy
     * injected; {@code body} is the request body.
     */
    public record Exchange(String method, String key, Fate fate, int status, byte[] body) {
        /** A write that S3 performed: its caller may or may not know. */
        public boolean landed() {
            return fate != Fate.INJECTED
                    && status >= 200
                    && status < 300
                    && (method.equals("PUT") || method.equals("POST"));
        }
    }

    /**
     * Which requests to spoil and how: a method and key predicate, how many matching requests to let
     * through first, how many to spoil (then the rule is spent; {@link Integer#MAX_VALUE} for "until
     * disarmed"), and optionally a key prefix that must have been written first (to strike after a
     * step, e.g. the job record's update after its outputs were copied).
     */
    public static final class Rule {
        private final String method;
        private final Predicate<String> key;
        private final String description;
        /** For {@link #getOfNextCreated}: the prefix of the write to wait for, and the key it wrote. */
        private String createdUnder;

        private String created;
        private int skip;
        private int times = 1;
        private String afterWriteOf;
        private boolean afterSeen;
        private int status;
        private boolean drop;
        private int hits;
        private Random random;
        private double chance = 1;
        private BooleanSupplier condition = () -> true;

        private Rule(String method, Predicate<String> key, String description) {
            this.method = method;
            this.key = key;
            this.description = description;
        }

        public static Rule put(String exactKey) {
            return new Rule("PUT", exactKey::equals, "PUT " + exactKey);
        }

        public static Rule putUnder(String prefix) {
            return new Rule("PUT", k -> k.startsWith(prefix), "PUT " + prefix + "*");
        }

        public static Rule getUnder(String prefix) {
            return new Rule("GET", k -> k.startsWith(prefix), "GET " + prefix + "*");
        }

        /** Reads of the next object written under {@code prefix} once armed (a job created after it, say). */
        public static Rule getOfNextCreated(String prefix) {
            Rule rule = new Rule("GET", k -> true, "GET of the next object written under " + prefix);
            rule.createdUnder = prefix;
            return rule;
        }

        /** Let the first {@code n} matching requests through untouched. */
        public Rule after(int n) {
            skip = n;
            return this;
        }

        public Rule times(int n) {
            times = n;
            return this;
        }

        public Rule always() {
            return times(Integer.MAX_VALUE);
        }

        /** Spoils each request it would spoil only with probability {@code p}, drawn from {@code random}. */
        public Rule withChance(Random random, double p) {
            this.random = random;
            this.chance = p;
            return this;
        }

        /** Only while {@code condition} holds (a provider call under way, say). */
        public Rule onlyWhile(BooleanSupplier condition) {
            this.condition = condition;
            return this;
        }

        /** Only once a write under {@code prefix} has reached S3. */
        public Rule onceWritten(String prefix) {
            afterWriteOf = prefix;
            return this;
        }

        /** Answer with this S3 error status (500, 503: the SDK retries; 412: a lost compare-and-swap). */
        public Rule answer(int httpStatus) {
            status = httpStatus;
            drop = false;
            return this;
        }

        /** Forward the request, then drop S3's answer: the write happened, the caller thinks it failed. */
        public Rule dropAnswer() {
            drop = true;
            return this;
        }

        /** How many requests this rule spoiled. */
        public synchronized int hits() {
            return hits;
        }

        synchronized void noteWrite(String writtenKey) {
            if (afterWriteOf != null && writtenKey.startsWith(afterWriteOf)) {
                afterSeen = true;
            }
            if (createdUnder != null && created == null && writtenKey.startsWith(createdUnder)) {
                created = writtenKey;
            }
        }

        /** Whether this rule spoils the request; counts it if so. */
        synchronized boolean strikes(String requestMethod, String requestKey) {
            if (!method.equals(requestMethod) || requestKey == null || !key.test(requestKey)) {
                return false;
            }
            if (createdUnder != null && !requestKey.equals(created)) {
                return false;
            }
            if (afterWriteOf != null && !afterSeen || !condition.getAsBoolean()) {
                return false;
            }
            if (skip > 0) {
                skip--;
                return false;
            }
            if (hits >= times || random != null && random.nextDouble() >= chance) {
                return false;
            }
            hits++;
            return true;
        }

        @Override
        public String toString() {
            return description + (drop ? " drop answer" : " answer " + status);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            Head head = Head.read(in);
            if (head == null) {
                return;
            }
            if ("100-continue".equalsIgnoreCase(head.header("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body = readBody(in, head);
            String key = key(head.target());
            Rule rule = null;
            for (Rule candidate : rules) {
                if (candidate.strikes(head.method(), key)) {
                    rule = candidate;
                    break;
                }
            }
            if (rule != null && !rule.drop) {
                log.add(new Exchange(head.method(), key, Fate.INJECTED, rule.status, body));
                out.write(error(rule.status));
                out.flush();
                return;
            }
            try (Socket s3 = new Socket(upstream.getHost(), upstream.getPort())) {
                OutputStream up = s3.getOutputStream();
                up.write(head.forwarded());
                up.write(body);
                up.flush();
                InputStream down = new BufferedInputStream(s3.getInputStream());
                Head answer = Head.read(down);
                if (answer == null) {
                    return;
                }
                int status = Integer.parseInt(answer.startLine().split(" ")[1]);
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                down.transferTo(rest);
                boolean dropped = rule != null;
                log.add(new Exchange(head.method(), key, dropped ? Fate.DROPPED : Fate.FORWARDED, status, body));
                if (key != null
                        && status >= 200
                        && status < 300
                        && head.method().equals("PUT")) {
                    rules.forEach(r -> r.noteWrite(key));
                }
                if (dropped) {
                    client.setSoLinger(true, 0); // a reset: the answer is lost on the way
                    return;
                }
                out.write(answer.forwarded());
                rest.writeTo(out);
                out.flush();
            }
        } catch (IOException e) {
            // the client or S3 went away: nothing to answer
        }
    }

    private static byte[] readBody(InputStream in, Head head) throws IOException {
        String length = head.header("content-length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length.trim()));
        }
        if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            // Passed on as it came, chunk framing included (the forwarded head keeps Transfer-Encoding).
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while (true) {
                String line = Head.line(in);
                raw.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(line.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = Head.line(in);
                        raw.writeBytes((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } while (!trailer.isEmpty());
                    return raw.toByteArray();
                }
                raw.writeBytes(in.readNBytes(size + 2));
            }
        }
        return new byte[0];
    }

    /** The object key of a path-style request ({@code /bucket/key?query}); null for the bucket itself. */
    private static String key(String target) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        int slash = path.indexOf('/', 1);
        if (slash < 0 || slash == path.length() - 1) {
            return null;
        }
        return URLDecoder.decode(path.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] error(int status) {
        String code = switch (status) {
            case 412 -> "PreconditionFailed";
            case 409 -> "ConditionalRequestConflict";
            case 503 -> "SlowDown";
            default -> "InternalError";
        };
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                        + "</Code><Message>injected by the test's fault proxy</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " Injected\r\nContent-Type: application/xml\r\nContent-Length: "
                + xml.length + "\r\nConnection: close\r\n\r\n";
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        all.writeBytes(xml);
        return all.toByteArray();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        pool.shutdownNow();
    }

    /** A request or response head: its first line and header lines as received. */
    private record Head(String startLine, List<String> headers) {
        private static final Set<String> HOP_BY_HOP =
                Set.of("expect", "connection", "keep-alive", "upgrade", "http2-settings", "proxy-connection", "te");

        static Head read(InputStream in) throws IOException {
            String first;
            try {
                first = line(in);
            } catch (EOFException e) {
                return null;
            }
            List<String> headers = new ArrayList<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                headers.add(line);
            }
            return new Head(first, headers);
        }

        static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b;
                try {
                    b = in.read();
                } catch (SocketException e) {
                    throw new EOFException();
                }
                if (b < 0) {
                    throw new EOFException();
                }
                if (previous == '\r' && b == '\n') {
                    byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
                previous = b;
            }
        }

        String method() {
            return startLine.split(" ")[0];
        }

        String target() {
            return startLine.split(" ")[1];
        }

        String header(String name) {
            for (String h : headers) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return h.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /**
         * The head as passed on: without Expect (answered here) and the hop-by-hop headers (so an h2c upgrade
         * offer is not taken up), and with {@code Connection: close}.
         */
        byte[] forwarded() {
            StringBuilder text = new StringBuilder(startLine).append("\r\n");
            for (String h : headers) {
                String name = h.substring(0, Math.max(0, h.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP.contains(name)) {
                    text.append(h).append("\r\n");
                }
            }
            text.append("Connection: close\r\n\r\n");
            return text.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
