package app.visage.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.jobs.port.OutputDownloads;
import app.visage.support.TestPhotos;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Downloading provider outputs with private addresses refused (the default): a loopback server
 * plays the provider, allowed only as the provider's own configured origin.
 */
@QuarkusTest
class OutputFetcherTest {
    private static HttpServer provider;
    private static final AtomicInteger HITS = new AtomicInteger();
    private static byte[] image;

    @Inject
    OutputFetcher fetcher;

    @BeforeAll
    static void serve() throws IOException {
        image = TestPhotos.bytes("astronaut.jpg");
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/out.jpg", exchange -> {
            HITS.incrementAndGet();
            exchange.getResponseHeaders().set("content-type", "image/jpeg");
            exchange.sendResponseHeaders(200, image.length);
            exchange.getResponseBody().write(image);
            exchange.close();
        });
        provider.createContext("/page.html", exchange -> {
            byte[] page = "<html>not yet</html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        provider.createContext("/moved.jpg", exchange -> {
            exchange.getResponseHeaders().set("location", "http://169.254.169.254/latest/meta-data");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        provider.start();
    }

    @AfterAll
    static void stop() {
        provider.stop(0);
    }

    private static URI origin() {
        return URI.create("http://127.0.0.1:" + provider.getAddress().getPort());
    }

    @Test
    void theProvidersOwnOriginIsAllowedEvenOnLoopback() {
        assertThat(fetcher.download(origin().resolve("/out.jpg"), List.of(origin())))
                .isEqualTo(image);
    }

    @Test
    void aPrivateAddressThatIsNotTheProvidersIsRefusedWithoutAConnection() {
        int before = HITS.get();
        assertThatThrownBy(() -> fetcher.download(origin().resolve("/out.jpg"), List.of()))
                .isInstanceOf(OutputDownloads.Rejected.class);
        URI otherPort = URI.create("http://127.0.0.1:" + (provider.getAddress().getPort() + 1) + "/out.jpg");
        assertThatThrownBy(() -> fetcher.download(otherPort, List.of(origin())))
                .isInstanceOf(OutputDownloads.Rejected.class);
        assertThatThrownBy(() ->
                        fetcher.download(URI.create("http://169.254.169.254/latest/meta-data"), List.of(origin())))
                .isInstanceOf(OutputDownloads.Rejected.class);
        assertThat(HITS.get()).isEqualTo(before);
    }

    @Test
    void somethingThatSaysItIsNotAnImageIsRefused() {
        assertThatThrownBy(() -> fetcher.download(origin().resolve("/page.html"), List.of(origin())))
                .isInstanceOf(OutputDownloads.Rejected.class)
                .hasMessageContaining("text/html");
    }

    @Test
    void missingOutputsAndRedirectsMayWorkLaterAndAreNotFollowed() {
        assertThatThrownBy(() -> fetcher.download(origin().resolve("/nothing.jpg"), List.of(origin())))
                .isInstanceOf(OutputDownloads.Unavailable.class)
                .hasMessageContaining("404");
        assertThatThrownBy(() -> fetcher.download(origin().resolve("/moved.jpg"), List.of(origin())))
                .isInstanceOf(OutputDownloads.Unavailable.class)
                .hasMessageContaining("302");
    }
}
