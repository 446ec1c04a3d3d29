package app.visage.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.visage.errors.ErrorCode;
import app.visage.errors.VisageException;
import app.visage.support.TestPhotos;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fetching a photo from a URL, against a loopback server (allowed here by visage.egress.allow-private). */
@QuarkusTest
@TestProfile(PhotoFetcherTest.AllowPrivate.class)
class PhotoFetcherTest {
    private static HttpServer server;
    private static byte[] photo;

    @Inject
    PhotoFetcher fetcher;

    public static class AllowPrivate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("visage.egress.allow-private", "true");
        }
    }

    @BeforeAll
    static void serve() throws IOException {
        photo = TestPhotos.bytes("astronaut.jpg");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/photo.jpg", exchange -> {
            exchange.sendResponseHeaders(200, photo.length);
            exchange.getResponseBody().write(photo);
            exchange.close();
        });
        server.createContext("/moved.jpg", exchange -> {
            exchange.getResponseHeaders().set("location", "http://169.254.169.254/latest/meta-data");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/huge.jpg", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
            byte[] block = new byte[64 * 1024];
            for (int i = 0; i < 200; i++) {
                exchange.getResponseBody().write(block);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void fetchesThePhotoByteForByte() {
        assertThat(fetcher.fetch(url("/photo.jpg"), 10_000_000, "face_image")).isEqualTo(photo);
    }

    @Test
    void refusesRedirectsInsteadOfFollowingThem() {
        VisageException e = catchThrowableOfType(
                VisageException.class, () -> fetcher.fetch(url("/moved.jpg"), 10_000_000, "face_image"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAM);
        assertThat(e.getMessage()).contains("302");
    }

    @Test
    void stopsReadingPastTheCap() {
        VisageException e = catchThrowableOfType(
                VisageException.class, () -> fetcher.fetch(url("/huge.jpg"), 1_000_000, "face_image"));
        assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void aMissingPhotoIsTheCallersMistake() {
        VisageException e = catchThrowableOfType(
                VisageException.class, () -> fetcher.fetch(url("/nothing.jpg"), 10_000_000, "face_image"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAM);
        assertThat(e.field()).isEqualTo("face_image");
    }
}
