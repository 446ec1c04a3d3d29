package app.visage.jobs.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.jobs.model.JobId;
import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.model.StoredObject;
import app.visage.jobs.port.OutputDownloads;
import app.visage.jobs.port.Provider;
import app.visage.support.Bucket;
import app.visage.support.TestPhotos;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Copying provider outputs into the bucket, from a loopback server playing the provider's CDN. */
@QuarkusTest
class CopyOutputsTest {
    private HttpServer cdn;
    private final AtomicInteger misses = new AtomicInteger();
    private final byte[] image = TestPhotos.bytes("grace_hopper.jpg");

    @Inject
    CopyOutputs copier;

    @Inject
    Bucket bucket;

    @BeforeEach
    void serve() throws IOException {
        cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cdn.createContext("/late.jpg", exchange -> {
            boolean ready = misses.getAndDecrement() <= 0;
            exchange.sendResponseHeaders(ready ? 200 : 404, ready ? image.length : -1);
            if (ready) {
                exchange.getResponseBody().write(image);
            }
            exchange.close();
        });
        cdn.createContext("/text.jpg", exchange -> {
            byte[] text = "not an image at all".getBytes();
            exchange.sendResponseHeaders(200, text.length);
            exchange.getResponseBody().write(text);
            exchange.close();
        });
        cdn.start();
    }

    @AfterEach
    void stop() {
        cdn.stop(0);
    }

    private Provider providerServingFrom(URI origin) {
        return new Provider() {
            @Override
            public String id() {
                return "cdn";
            }

            @Override
            public Map<Operation, Set<Param>> operations() {
                return Map.of();
            }

            @Override
            public List<URI> origins() {
                return List.of(origin);
            }

            @Override
            public ProviderOutcome start(ProviderCall call) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private URI origin() {
        return URI.create("http://127.0.0.1:" + cdn.getAddress().getPort());
    }

    @Test
    void anOutputThatLagsBehindDoneIsFetchedOnALaterTryAndStoredWithItsSize() {
        misses.set(2);
        JobId id = JobId.random();
        List<StoredObject> stored = copier.copy(
                id,
                providerServingFrom(origin()),
                new ProviderOutcome.Finished(
                        List.of(new ProviderOutcome.Link(origin().resolve("/late.jpg"))), Map.of("gender", "Female")));

        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).key()).isEqualTo("outputs/" + id + "/1.jpg");
        assertThat(stored.get(0).contentType()).isEqualTo("image/jpeg");
        assertThat(stored.get(0).bytes()).isEqualTo(image.length - 72); // without its 72-byte comment segment
        assertThat(stored.get(0).width())
                .isEqualTo(TestPhotos.image("grace_hopper.jpg").getWidth());
        assertThat(bucket.keys("outputs/" + id + "/"))
                .containsExactly("outputs/" + id + "/1.jpg", "outputs/" + id + "/result.json");
    }

    @Test
    void anOutputStillMissingAfterThreeTriesIsUnavailableAndNothingIsStored() {
        misses.set(3);
        JobId id = JobId.random();
        assertThatThrownBy(() -> copier.copy(
                        id,
                        providerServingFrom(origin()),
                        new ProviderOutcome.Finished(
                                List.of(new ProviderOutcome.Link(origin().resolve("/late.jpg"))), null)))
                .isInstanceOf(OutputDownloads.Unavailable.class);
        assertThat(bucket.keys("outputs/" + id + "/")).isEmpty();
    }

    @Test
    void bytesThatAreNotAnImageAreRefused() {
        JobId id = JobId.random();
        assertThatThrownBy(() -> copier.copy(
                        id,
                        providerServingFrom(origin()),
                        new ProviderOutcome.Finished(
                                List.of(new ProviderOutcome.Link(origin().resolve("/text.jpg"))), null)))
                .isInstanceOf(OutputDownloads.Rejected.class);
        assertThatThrownBy(() -> copier.copy(
                        id,
                        providerServingFrom(origin()),
                        new ProviderOutcome.Finished(List.of(new ProviderOutcome.Bytes(new byte[] {1, 2, 3})), null)))
                .isInstanceOf(OutputDownloads.Rejected.class);
        assertThat(bucket.keys("outputs/" + id + "/")).isEmpty();
    }
}
