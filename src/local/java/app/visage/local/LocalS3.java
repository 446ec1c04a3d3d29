package app.visage.local;

import app.visage.config.VisageConfig;
import app.visage.local.s3.EmbeddedS3;
import app.visage.storage.S3Target;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The embedded S3 (S3Proxy) as the S3 every client talks to: on disk under
 * {@code visage.local.data-dir} in local mode, in memory in tests. Started on first use, and its
 * object-created events go to the {@code upload} function as S3 would send them.
 */
@ApplicationScoped
public class LocalS3 implements S3Target {
    private final EmbeddedS3 s3;

    public LocalS3(VisageConfig config, LocalConfig local, UploadEvents uploads) {
        this.s3 = local.dataDir()
                .map(dir -> EmbeddedS3.onDisk(
                        Path.of(dir).toAbsolutePath(), config.bucket(), local.s3Port(), uploads::deliver))
                .orElseGet(() -> EmbeddedS3.inMemory(config.bucket(), uploads::deliver));
        this.s3.start();
    }

    @Override
    public URI endpoint() {
        return s3.endpoint();
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    }

    /** Every request the embedded S3 receives, before it is handled: tests hold S3 request counts to budgets. */
    public void onRequest(Consumer<EmbeddedS3.Request> observer) {
        s3.onRequest(observer);
    }

    @PreDestroy
    void stop() throws Exception {
        s3.close();
    }
}
