package app.visage.storage;

import app.visage.config.AwsRegion;
import app.visage.config.VisageConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds the S3 client and presigner once per process, for AWS or for a configured {@link S3Target}. */
@ApplicationScoped
public class S3Clients {

    @Produces
    @ApplicationScoped
    S3Client s3Client(VisageConfig config, Instance<S3Target> target) {
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region(config))
                .serviceConfiguration(s3Configuration(config, target));
        config.s3().endpoint().map(URI::create).ifPresent(builder::endpointOverride);
        if (target.isResolvable()) {
            builder.endpointOverride(target.get().endpoint())
                    .credentialsProvider(target.get().credentials());
        }
        return builder.build();
    }

    @Produces
    @ApplicationScoped
    S3Presigner s3Presigner(VisageConfig config, Instance<S3Target> target) {
        var builder =
                S3Presigner.builder().region(region(config)).serviceConfiguration(s3Configuration(config, target));
        config.s3().endpoint().map(URI::create).ifPresent(builder::endpointOverride);
        if (target.isResolvable()) {
            builder.endpointOverride(target.get().endpoint())
                    .credentialsProvider(target.get().credentials());
        }
        return builder.build();
    }

    /**
     * Builds the S3 client at start-up instead of in the first request. Every function needs it, so on a
     * plain cold start this only moves the work (the SDK's client configuration: a few hundred ms and
     * ~1,000 classes on a small machine) from the first invocation into the init phase; with SnapStart,
     * whose snapshot is taken after init, a restored function's first request no longer pays it. No
     * request is sent: a connection opened before a snapshot would be stale after a restore.
     */
    void buildAtStartup(@Observes StartupEvent event, S3Client client) {
        client.serviceClientConfiguration();
    }

    void close(@Disposes S3Client client) {
        client.close();
    }

    void close(@Disposes S3Presigner presigner) {
        presigner.close();
    }

    private static Region region(VisageConfig config) {
        return Region.of(AwsRegion.of(config));
    }

    /**
     * No aws-chunked uploads: every body Visage puts is a byte array already in memory, so its checksum (and
     * over plain HTTP its signature) is computed up front and the array streamed as it is, instead of being
     * re-framed in chunks with a fresh 128 KB buffer each (10 MB of garbage for a 10 MB photo).
     */
    private static S3Configuration s3Configuration(VisageConfig config, Instance<S3Target> target) {
        return S3Configuration.builder()
                .pathStyleAccessEnabled(config.s3().pathStyle() || target.isResolvable())
                .chunkedEncodingEnabled(false)
                .build();
    }
}
