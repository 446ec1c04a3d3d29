package app.visage.bench;

import app.visage.jobs.model.Operation;
import app.visage.jobs.model.Param;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.jobs.port.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/** Providers that exist only in the benchmarks (bench sources are never in a build that ships). */
final class BenchProviders {
    private BenchProviders() {}

    /** A provider that answers at once: it takes the job ({@code Pending}), so the job is {@code processing}. */
    @ApplicationScoped
    static class Instant implements Provider {
        static final String ID = "bench-instant";

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Map<Operation, Set<Param>> operations() {
            return Map.of(Operation.HEAD_SHOT, Set.of());
        }

        @Override
        public ProviderOutcome start(ProviderCall call) {
            return new ProviderOutcome.Pending("bench-" + call.jobId().value(), null);
        }

        @Override
        public ProviderOutcome fetch(String providerJobId) {
            return new ProviderOutcome.Pending(providerJobId, null);
        }
    }

    /** A provider that finishes at once with two small PNG outputs (64×64 and 128×128). */
    @ApplicationScoped
    static class TwoOutputs implements Provider {
        static final String ID = "bench-two-outputs";
        private final byte[] first = png(64);
        private final byte[] second = png(128);

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Map<Operation, Set<Param>> operations() {
            return Map.of(Operation.HEAD_SHOT, Set.of());
        }

        @Override
        public ProviderOutcome start(ProviderCall call) {
            return new ProviderOutcome.Finished(
                    List.of(new ProviderOutcome.Bytes(first), new ProviderOutcome.Bytes(second)), null);
        }

        private static byte[] png(int side) {
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    image.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | 0x80);
                }
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(image, "png", out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
