package app.visage.queue;

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
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the SQS client once per process, for AWS or for a configured {@link SqsTarget}. */
@ApplicationScoped
public class SqsClients {

    @Produces
    @ApplicationScoped
    SqsClient sqsClient(VisageConfig config, Instance<SqsTarget> target) {
        var builder = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(AwsRegion.of(config)));
        config.queue().endpoint().map(URI::create).ifPresent(builder::endpointOverride);
        if (target.isResolvable()) {
            builder.endpointOverride(target.get().endpoint())
                    .credentialsProvider(target.get().credentials());
        }
        return builder.build();
    }

    /**
     * In AWS, builds the client in the init phase, as {@code S3Clients} does and for the same reason (SnapStart's
     * snapshot holds it; no request is sent). With a target the client is built on first use instead: the target
     * is an embedded queue, which a test that never sends work need not start.
     */
    void buildAtStartup(@Observes StartupEvent event, Instance<SqsTarget> target, SqsClient client) {
        if (!target.isResolvable()) {
            client.serviceClientConfiguration();
        }
    }

    void close(@Disposes SqsClient client) {
        client.close();
    }
}
