package app.visage.faults.queue;

import app.visage.config.VisageConfig;
import app.visage.egress.EgressPolicy;
import app.visage.egress.OutputFetcher;
import app.visage.egress.PinnedHttp;
import jakarta.enterprise.inject.Vetoed;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real output downloads, with the first one held until {@link #release()}: a worker paused mid-step, after the
 * provider said the job is done and before its outputs are in the bucket, for as long as a test needs to deliver the
 * same message again meanwhile. Every later download goes straight through. Installed over the application's
 * {@code OutputFetcher} for one test ({@code QuarkusMock} wants a subclass of the bean it replaces); not a bean.
 */
@Vetoed
public final class HeldDownloads extends OutputFetcher {
    private final AtomicBoolean holding = new AtomicBoolean(true);
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public HeldDownloads(EgressPolicy policy, PinnedHttp http, VisageConfig config) {
        super(policy, http, config);
    }

    /** Waits until a download is being held. */
    public void awaitHeld() throws InterruptedException {
        if (!held.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no download was held within 10 s");
        }
    }

    public void release() {
        released.countDown();
    }

    @Override
    public byte[] download(URI url, List<URI> origins) {
        if (holding.getAndSet(false)) {
            held.countDown();
            try {
                if (!released.await(30, TimeUnit.SECONDS)) {
                    throw new Unavailable("held past the test's patience");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted while held");
            }
        }
        return super.download(url, origins);
    }
}
