package app.visage.faults;

import app.visage.emulators.fashn.FashnEmulator;
import app.visage.emulators.metahuman.MetaHumanEmulator;
import app.visage.emulators.modelslab.ModelsLabEmulator;
import app.visage.jobs.usecase.JobRecords;
import app.visage.local.LocalHttpServer;
import app.visage.support.Bucket;
import app.visage.support.DueWork;
import app.visage.support.ProviderEmulators;
import app.visage.support.TestClock;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every fault test starts from: the emulators reset to quick defaults (a test class may tune them
 * in its own {@code @BeforeEach}, which runs after this one), no S3 rule armed, the clock where it was.
 */
abstract class FaultTestBase {
    @Inject
    LocalHttpServer server;

    @Inject
    FaultyS3 s3;

    @Inject
    DueWork dueWork;

    @Inject
    JobRecords records;

    @Inject
    TestClock clock;

    @Inject
    Bucket bucket;

    final ModelsLabEmulator modelslab = ProviderEmulators.modelslab();
    final FashnEmulator fashn = ProviderEmulators.fashn();
    final MetaHumanEmulator metahuman = ProviderEmulators.metahuman();
    FaultTestSupport faults;
    S3FaultProxy proxy;

    @BeforeEach
    void resetFaultsAndProviders() {
        faults = new FaultTestSupport(server, s3, dueWork, records, clock, bucket);
        proxy = s3.proxy();
        proxy.reset();
        dueWork.purge();
        modelslab.reset();
        modelslab.processingTime(Duration.ofMillis(300));
        fashn.reset();
        fashn.processingTime(Duration.ofMillis(300));
        fashn.webhookRetryDelay(Duration.ofMillis(100));
        metahuman.reset();
    }

    @AfterEach
    void restore() {
        proxy.disarm();
        clock.reset();
    }
}
