package app.visage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import app.visage.support.Bucket;
import app.visage.support.KeyedApi;
import app.visage.support.LocalApi;
import app.visage.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Server-side request forgery through the public API, with private addresses refused (the default):
 * every spelling of an address Visage must not reach is refused as the caller's mistake, on its
 * field, before anything is stored and before any connection is made. Listeners on both loopbacks,
 * on the port the URLs name, count the connections that would have been made. Only literals and
 * "localhost" (refused by name): no URL here makes a DNS query.
 */
@QuarkusTest
@TestProfile(UserUrlRefusalTest.SignedWebhooks.class)
class UserUrlRefusalTest {
    private static final String PORT = "{P}";
    private static Listener v4;
    private static Listener v6;

    @Inject
    LocalHttpServer server;

    @Inject
    Bucket bucket;

    public static class SignedWebhooks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "visage.webhooks.secret",
                    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                    "visage.auth.api-keys",
                    "acme=" + KeyedApi.sha256Hex(KeyedApi.ACME_KEY));
        }
    }

    /** Accepts and at once closes connections on one loopback address, counting them. */
    private record Listener(ServerSocket socket, AtomicInteger accepted) {
        static Listener on(String address, int port) throws IOException {
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            Listener listener = new Listener(socket, new AtomicInteger());
            Thread.ofPlatform().daemon().name("listener-" + address).start(() -> {
                while (!socket.isClosed()) {
                    try (Socket ignored = socket.accept()) {
                        listener.accepted().incrementAndGet();
                    } catch (IOException closed) {
                        // closed at the end
                    }
                }
            });
            return listener;
        }

        int port() {
            return socket.getLocalPort();
        }

        /** Proves the listener counts: one connection of ours, seen, then forgotten. */
        void check() throws IOException, InterruptedException {
            try (Socket probe = new Socket(socket.getInetAddress(), port())) {
                Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
                while (accepted.get() == 0 && Instant.now().isBefore(deadline)) {
                    Thread.sleep(10);
                }
            }
            assertThat(accepted.getAndSet(0)).isEqualTo(1);
        }
    }

    @BeforeAll
    static void listen() throws Exception {
        for (int attempt = 0; v6 == null; attempt++) {
            v4 = Listener.on("127.0.0.1", 0);
            try {
                v6 = Listener.on("::1", v4.port());
            } catch (BindException taken) {
                v4.socket().close();
                assertThat(attempt).as("a port free on both loopbacks").isLessThan(10);
            }
        }
        v4.check();
        v6.check();
    }

    @AfterAll
    static void close() throws IOException {
        v4.socket().close();
        v6.socket().close();
    }

    @AfterEach
    void noConnectionWasMade() {
        assertThat(v4.accepted().getAndSet(0)).as("connections to 127.0.0.1").isZero();
        assertThat(v6.accepted().getAndSet(0)).as("connections to ::1").isZero();
    }

    private static String url(String spelling) {
        return spelling.replace(PORT, Integer.toString(v4.port()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1:{P}/face.jpg",
                "https://127.1:{P}/face.jpg",
                "https://2130706433:{P}/face.jpg",
                "https://0x7f000001:{P}/face.jpg",
                "https://0x7f.0.0.1:{P}/face.jpg",
                "https://0177.0.0.1:{P}/face.jpg",
                "https://017700000001:{P}/face.jpg",
                "https://127.000.000.001:{P}/face.jpg",
                "https://localhost:{P}/face.jpg",
                "https://[::1]:{P}/face.jpg",
                "https://[::ffff:127.0.0.1]:{P}/face.jpg",
                "https://[::ffff:7f00:1]:{P}/face.jpg",
                "https://[0:0:0:0:0:0:0:1]:{P}/face.jpg",
                "https://[::127.0.0.1]:{P}/face.jpg",
                "https://0.0.0.0:{P}/face.jpg",
                "https://[::]:{P}/face.jpg",
                "https://169.254.169.254/latest/meta-data/",
                "https://[::ffff:169.254.169.254]/latest/meta-data/",
                "https://100.64.0.1/face.jpg",
                "https://10.0.0.1/face.jpg",
                "https://172.16.0.1/face.jpg",
                "https://192.168.0.1/face.jpg",
                "https://[fd00::1]/face.jpg",
                "https://[fe80::1]/face.jpg",
                "https://224.0.0.1/face.jpg",
                "https://255.255.255.255/face.jpg",
                "https://[64:ff9b::7f00:1]:{P}/face.jpg",
                "https://[2002:7f00:1::1]:{P}/face.jpg",
                "http://127.0.0.1:{P}/face.jpg",
                "https://user:pw@127.0.0.1:{P}/face.jpg",
                "https://127.0.0.1.:{P}/face.jpg",
                "https://%31%32%37.0.0.1:{P}/face.jpg",
                "https://127.0.0.1:{P}@127.0.0.1:{P}/face.jpg",
                "file:///etc/passwd",
                "ftp://127.0.0.1:{P}/face.jpg",
                "gopher://127.0.0.1:{P}/_GET%20/",
                "https:127.0.0.1:{P}/face.jpg",
                "//127.0.0.1:{P}/face.jpg"
            })
    void aFaceImageUrlToAnAddressVisageMustNotReachIsRefusedWithoutAConnection(String spelling) {
        List<String> before = bucket.keys();
        KeyedApi.as(LocalApi.given(server), KeyedApi.ACME_KEY)
                .contentType("application/json")
                .body(Map.of("operation", "head_shot", "face_image", url(spelling)))
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_param"))
                .body("error.field", equalTo("face_image"))
                .body("error.message", not(containsString("could not be fetched")));
        assertThat(bucket.keys()).containsExactlyInAnyOrderElementsOf(before);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1:{P}/hooks",
                "https://127.1:{P}/hooks",
                "https://2130706433:{P}/hooks",
                "https://0x7f000001:{P}/hooks",
                "https://0x7f.0.0.1:{P}/hooks",
                "https://0177.0.0.1:{P}/hooks",
                "https://017700000001:{P}/hooks",
                "https://127.000.000.001:{P}/hooks",
                "https://localhost:{P}/hooks",
                "https://[::1]:{P}/hooks",
                "https://[::ffff:127.0.0.1]:{P}/hooks",
                "https://[::ffff:7f00:1]:{P}/hooks",
                "https://[0:0:0:0:0:0:0:1]:{P}/hooks",
                "https://[::127.0.0.1]:{P}/hooks",
                "https://0.0.0.0:{P}/hooks",
                "https://[::]:{P}/hooks",
                "https://169.254.169.254/latest/meta-data/",
                "https://[::ffff:169.254.169.254]/hooks",
                "https://100.64.0.1/hooks",
                "https://10.0.0.1/hooks",
                "https://172.16.0.1/hooks",
                "https://192.168.0.1/hooks",
                "https://[fd00::1]/hooks",
                "https://[fe80::1]/hooks",
                "https://224.0.0.1/hooks",
                "https://255.255.255.255/hooks",
                "https://[64:ff9b::7f00:1]:{P}/hooks",
                "http://127.0.0.1:{P}/hooks",
                "https://user:pw@127.0.0.1:{P}/hooks",
                "https://127.0.0.1.:{P}/hooks",
                "https://%31%32%37.0.0.1:{P}/hooks",
                "file:///etc/passwd",
                "ftp://127.0.0.1:{P}/hooks",
                "gopher://127.0.0.1:{P}/_POST%20/"
            })
    void aWebhookUrlToAnAddressVisageMustNotReachIsRefusedAndNothingIsStored(String spelling) {
        List<String> before = bucket.keys();
        KeyedApi.as(LocalApi.given(server), KeyedApi.ACME_KEY)
                .contentType("application/json")
                .body(Map.of(
                        "operation",
                        "head_shot",
                        "face_image",
                        TestPhotos.dataUri("astronaut.jpg", "image/jpeg"),
                        "webhook",
                        url(spelling)))
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_param"))
                .body("error.field", equalTo("webhook"));
        KeyedApi.as(LocalApi.given(server), KeyedApi.ACME_KEY)
                .contentType("application/json")
                .body(Map.of("operation", "head_shot", "webhook", url(spelling)))
                .post("/v1/uploads")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_param"))
                .body("error.field", equalTo("webhook"));
        assertThat(bucket.keys()).containsExactlyInAnyOrderElementsOf(before);
    }
}
