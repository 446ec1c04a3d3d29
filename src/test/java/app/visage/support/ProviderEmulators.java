package app.visage.support;

import app.visage.emulators.EmulatorServer;
import app.visage.emulators.fashn.FashnEmulator;
import app.visage.emulators.metahuman.MetaHumanEmulator;
import app.visage.emulators.modelslab.ModelsLabEmulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every provider's base URL pointed at its emulator, in local mode serving real HTTP on a known
 * loopback port (the provider webhooks' public base URL), with the work queue delivered to the worker on the wall
 * clock and the cleanup running every half second.
 */
public class ProviderEmulators implements QuarkusTestResourceLifecycleManager {
    public static final String MODELSLAB_KEY = "ml-key";
    public static final String ENTERPRISE_KEY = "ml-enterprise-key";
    public static final String FACE_GEN_KEY = "ml-face-gen-key";
    public static final String FASHN_KEY = "fashn-key";
    public static final String METAHUMAN_TOKEN = "metahuman-token";
    /** Small enough for a backpressure test to fill it. */
    public static final int MODELSLAB_MAX_IN_FLIGHT = 2;

    private static ModelsLabEmulator modelslab;
    private static FashnEmulator fashn;
    private static MetaHumanEmulator metahuman;

    public static ModelsLabEmulator modelslab() {
        return modelslab;
    }

    public static FashnEmulator fashn() {
        return fashn;
    }

    public static MetaHumanEmulator metahuman() {
        return metahuman;
    }

    /** Each provider's key, by provider id; a test resource entry's init args may replace any of them. */
    private final Map<String, String> keys = new HashMap<>(Map.of(
            "modelslab",
            MODELSLAB_KEY,
            "modelslab-enterprise",
            ENTERPRISE_KEY,
            "modelslab-face-gen",
            FACE_GEN_KEY,
            "fashn",
            FASHN_KEY,
            "metahuman",
            METAHUMAN_TOKEN));

    @Override
    public void init(Map<String, String> initArgs) {
        keys.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        modelslab = new ModelsLabEmulator(
                keys.get("modelslab"), keys.get("modelslab-enterprise"), keys.get("modelslab-face-gen"));
        fashn = new FashnEmulator(keys.get("fashn"));
        metahuman = new MetaHumanEmulator(keys.get("metahuman"));
        int port = freePort();
        Map<String, String> config = new HashMap<>();
        config.put("visage.local.serve", "true");
        config.put("visage.local.port", String.valueOf(port));
        config.put("visage.local.sweep-interval", "PT0.5S");
        config.put("visage-test.real-queue-delays", "true"); // the queue is delivered on the wall clock, as in AWS
        config.put("visage.public-base-url", "http://127.0.0.1:" + port);
        config.put("visage.poll-interval", "PT0.5S");
        config.put("visage.provider-retry-delay", "PT0.2S");
        config.put("visage.processing-deadline", "PT8S");
        provider(config, "modelslab", modelslab);
        provider(config, "modelslab-enterprise", modelslab);
        provider(config, "modelslab-face-gen", modelslab);
        provider(config, "fashn", fashn);
        provider(config, "metahuman", metahuman);
        config.put("visage.providers.modelslab.max-in-flight", String.valueOf(MODELSLAB_MAX_IN_FLIGHT));
        return config;
    }

    /** The provider's base URL on its emulator, and the emulator's CDN host trusted for outputs. */
    private void provider(Map<String, String> config, String id, EmulatorServer emulator) {
        config.put("visage.providers." + id + ".base-url", emulator.baseUrl().toString());
        config.put(
                "visage.providers." + id + ".output-origins", emulator.cdnUrl().toString());
        config.put("visage.providers." + id + ".api-key", keys.get(id));
        config.put("visage.providers." + id + ".timeout", "PT2S");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        modelslab.close();
        fashn.close();
        metahuman.close();
    }

    /** The test profile that runs local mode against the emulators. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProviderEmulators.class));
        }
    }
}
