package app.visage.faults;

import app.visage.local.LocalS3;
import app.visage.storage.S3Target;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The embedded S3 seen through an {@link S3FaultProxy}: every S3 request Visage makes (and every
 * presigned URL it hands out) goes through the proxy. Enabled only by {@link FaultProfile}.
 */
@Alternative
@ApplicationScoped
public class FaultyS3 implements S3Target {
    private final LocalS3 s3;
    private final S3FaultProxy proxy;

    public FaultyS3(LocalS3 s3) {
        this.s3 = s3;
        this.proxy = new S3FaultProxy(s3.endpoint());
    }

    public S3FaultProxy proxy() {
        return proxy;
    }

    @Override
    public URI endpoint() {
        return proxy.endpoint();
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return s3.credentials();
    }

    @PreDestroy
    void close() {
        proxy.close();
    }
}
