package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** The context flags: defaults, and a clear error at synth for a missing or wrong artifact or a bad value. */
class DeploySettingsTest {

    @Test
    void defaultsAreTheJvmVariantOnTheRootBuildsArtifact() {
        // An infra dir of our own, with ../target/function.zip next to it, as in the repository.
        Path infra = Synth.PLACEHOLDERS.resolve("repo/infra");
        Path artifact = Synth.zip(Synth.PLACEHOLDERS.resolve("repo/target/function.zip"), "x", "x");
        DeploySettings settings = DeploySettings.from(
                new App(AppProps.builder()
                                .context(Map.of("apiKeys", Synth.API_KEYS))
                                .build())
                        .getNode(),
                infra);
        assertEquals(DeploySettings.Runtime.JVM, settings.runtime());
        assertEquals(artifact, settings.jvmArtifact());
        assertNull(settings.nativeArtifact());
        assertEquals("rate(5 minutes)", settings.cleanupSchedule());
        assertNull(settings.workerMaxConcurrency());
        assertEquals(30, settings.recordRetentionDays());
        assertTrue(settings.retainData());
        assertEquals("Visage", settings.stackName());
        assertNull(settings.secretsRevision());
        assertNull(settings.secretsExtensionLayerArn());
        assertEquals(new ClientAuth.ApiKeys(Synth.API_KEYS), settings.clientAuth());
    }

    @Test
    void aMissingJvmArtifactIsAClearErrorNamingThePathAndTheFlag() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> settings(Map.of("jvmArtifact", "nowhere/function.zip")));
        assertTrue(e.getMessage().contains("Visage artifact not found"), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                Synth.INFRA_DIR.resolve("nowhere/function.zip").toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains("-c jvmArtifact="), e.getMessage());
    }

    @Test
    void theNativeVariantNeedsItsArtifactWithABootstrap() {
        var missing = assertThrows(
                IllegalArgumentException.class,
                () -> settings(Map.of("runtime", "native", "nativeArtifact", "nowhere/native.zip")));
        assertTrue(missing.getMessage().contains("-c nativeArtifact="), missing.getMessage());
        var jvmZipAsNative = assertThrows(
                IllegalArgumentException.class,
                () -> settings(Map.of(
                        "runtime",
                        "native",
                        "nativeArtifact",
                        Synth.jvmPlaceholder().toString())));
        assertTrue(jvmZipAsNative.getMessage().contains("no 'bootstrap'"), jvmZipAsNative.getMessage());
    }

    @Test
    void theJvmVariantDoesNotNeedTheNativeArtifact() {
        DeploySettings settings = settings(Map.of("nativeArtifact", "nowhere/native.zip"));
        assertEquals(DeploySettings.Runtime.JVM, settings.runtime());
        assertNull(settings.nativeArtifact());
    }

    @Test
    void badValuesAreRefused() {
        var runtime = assertThrows(IllegalArgumentException.class, () -> settings(Map.of("runtime", "graal")));
        assertTrue(runtime.getMessage().contains("'jvm' or 'native'"), runtime.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("cleanupSchedule", "every 5 minutes")));
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("removalPolicy", "snapshot")));
        for (String days : List.of("2", "0", "thirty", "P30D")) {
            var e = assertThrows(IllegalArgumentException.class, () -> settings(Map.of("recordRetentionDays", days)));
            assertTrue(e.getMessage().contains("recordRetentionDays must be a whole number from 3"), e.getMessage());
        }
        for (String concurrency : List.of("1", "1001", "ten", "-5", "2.5")) {
            var e = assertThrows(
                    IllegalArgumentException.class, () -> settings(Map.of("workerMaxConcurrency", concurrency)));
            assertTrue(
                    e.getMessage().contains("workerMaxConcurrency must be a whole number from 2 to 1000"),
                    e.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> settings(Map.of("secretsExtensionLayerArn", "AWS-Parameters-and-Secrets-Lambda-Extension")));
    }

    @Test
    void contextValuesAreRead() {
        DeploySettings settings = settings(Map.of(
                "runtime",
                "NATIVE",
                "cleanupSchedule",
                "cron(0/5 * * * ? *)",
                "removalPolicy",
                "destroy",
                "stackName",
                "VisageDev",
                "workerMaxConcurrency",
                " 1000 ",
                "recordRetentionDays",
                "3"));
        assertEquals(DeploySettings.Runtime.NATIVE, settings.runtime());
        assertEquals(Synth.nativePlaceholder(), settings.nativeArtifact());
        assertEquals("cron(0/5 * * * ? *)", settings.cleanupSchedule());
        assertEquals(false, settings.retainData());
        assertEquals("VisageDev", settings.stackName());
        assertEquals(1000, settings.workerMaxConcurrency());
        assertEquals(3, settings.recordRetentionDays());
    }

    private static DeploySettings settings(Map<String, Object> context) {
        Map<String, Object> all = new HashMap<>();
        all.put("jvmArtifact", Synth.jvmPlaceholder().toString());
        all.put("nativeArtifact", Synth.nativePlaceholder().toString());
        all.put("apiKeys", Synth.API_KEYS);
        all.putAll(context);
        return DeploySettings.from(new App(AppProps.builder().context(all).build()).getNode(), Synth.INFRA_DIR);
    }
}
