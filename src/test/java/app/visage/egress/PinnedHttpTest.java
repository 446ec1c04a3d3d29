package app.visage.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.vertx.core.Vertx;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection goes to the address that was checked, whatever the name resolves to afterwards,
 * and TLS still checks the URL's host. Loopback only: private addresses are allowed in these
 * policies so that a pinned loopback address can be reached at all.
 */
class PinnedHttpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A loopback HTTP server answering every GET with {@code name}, noting each request's Host header. */
    private record Listener(HttpServer server, List<String> hosts) {
        static Listener on(String address, int port, String name) throws IOException {
            List<String> hosts = new CopyOnWriteArrayList<>();
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
            server.createContext("/", exchange -> {
                hosts.add(exchange.getRequestHeaders().getFirst("host"));
                answer(exchange, name.getBytes(StandardCharsets.UTF_8));
            });
            server.start();
            return new Listener(server, hosts);
        }
    }

    private static void answer(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void theConnectionGoesToTheCheckedAddressEvenWhenTheNameResolvesElsewhereAfterwards() throws Exception {
        // One port on both loopbacks: the checked address (::1) and where the name points afterwards
        // (127.0.0.1, which is also what the system's hosts file says "localhost" is).
        Listener checked = null;
        Listener elsewhere = null;
        for (int attempt = 0; elsewhere == null; attempt++) {
            checked = Listener.on("::1", 0, "checked");
            try {
                elsewhere =
                        Listener.on("127.0.0.1", checked.server().getAddress().getPort(), "elsewhere");
            } catch (BindException taken) {
                checked.server().stop(0);
                assertThat(attempt).as("a port free on both loopbacks").isLessThan(10);
            }
        }
        try {
            int port = checked.server().getAddress().getPort();
            AtomicInteger lookups = new AtomicInteger();
            EgressPolicy policy = new EgressPolicy(
                    host -> new InetAddress[] {
                        InetAddress.getByName(lookups.getAndIncrement() == 0 ? "::1" : "127.0.0.1")
                    },
                    true);

            Destination to = policy.check(URI.create("http://localhost:" + port + "/photo.jpg"), "face_image");
            PinnedHttp.Answer answer = new PinnedHttp(vertx).get(to, Map.of(), 1000, TIMEOUT);

            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("checked");
            assertThat(checked.hosts()).containsExactly("localhost:" + port);
            assertThat(elsewhere.hosts()).isEmpty();
            assertThat(lookups).as("the name is looked up once, at the check").hasValue(1);
        } finally {
            checked.server().stop(0);
            elsewhere.server().stop(0);
        }
    }

    @Test
    void tlsToAPinnedAddressSendsTheUrlsHostAsSniAndChecksTheCertificateAgainstIt(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=pinned.test",
                "-ext",
                "SAN=dns:pinned.test",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit");

        List<String> serverNames = new CopyOnWriteArrayList<>();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keyStore)));
        server.createContext("/", exchange -> {
            ExtendedSSLSession session = (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
            session.getRequestedServerNames().forEach(n -> serverNames.add(((SNIHostName) n).getAsciiName()));
            answer(exchange, "over tls".getBytes(StandardCharsets.UTF_8));
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            EgressPolicy policy =
                    new EgressPolicy(host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")}, true);
            // Trusts the one self-signed certificate, and so exactly what its name says.
            PinnedHttp http = new PinnedHttp(
                    vertx, new PfxOptions().setPath(keyStore.toString()).setPassword("changeit"));

            PinnedHttp.Answer answer = http.get(
                    policy.check(URI.create("https://pinned.test:" + port + "/a.jpg"), "face_image"),
                    Map.of(),
                    1000,
                    TIMEOUT);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("over tls");
            assertThat(serverNames).containsExactly("pinned.test");

            Destination otherName = policy.check(URI.create("https://other.test:" + port + "/a.jpg"), "face_image");
            assertThatThrownBy(() -> http.get(otherName, Map.of(), 1000, TIMEOUT))
                    .as("the certificate is for pinned.test, whatever address the connection went to")
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("SSL")
                    .rootCause()
                    .hasMessageContaining("other.test");
            assertThat(serverNames).hasSize(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerThatDripsItsAnswerIsCutOffAtTheTimeLimitForTheWholeExchange() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread dripper = Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept();
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream()) {
                    in.read(new byte[4096]);
                    out.write("HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    while (true) { // a byte every 100 ms: never idle long, never done
                        out.write('x');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client hung up: what this test wants
                }
            });
            EgressPolicy policy = new EgressPolicy(host -> new InetAddress[0], true);
            Destination to = policy.check(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"), "face_image");

            long started = System.nanoTime();
            assertThatThrownBy(() -> new PinnedHttp(vertx).get(to, Map.of(), 10_000_000, Duration.ofSeconds(1)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("no complete answer");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            dripper.join(TimeUnit.SECONDS.toMillis(5));
            assertThat(dripper.isAlive()).as("the connection was closed").isFalse();
        }
    }

    @Test
    void anAnswerCutShortOfItsContentLengthIsAFailedExchangeNotAShorterBody() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread cutter = Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept();
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream()) {
                    in.read(new byte[4096]);
                    out.write("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[400]);
                    out.flush();
                } catch (IOException e) {
                    // the client hung up first: the answer is cut short either way
                }
            });
            EgressPolicy policy = new EgressPolicy(host -> new InetAddress[0], true);
            Destination to = policy.check(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"), "outputs");

            assertThatThrownBy(() -> new PinnedHttp(vertx).get(to, Map.of(), 10_000, TIMEOUT))
                    .isInstanceOf(IOException.class);
            cutter.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static SSLContext sslContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
