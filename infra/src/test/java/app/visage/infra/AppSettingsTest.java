package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every {@code visage.*} setting of docs/configuration.md reaches the functions from the deployment, or is listed
 * with why not ({@link AppSettings#NOT_SET_BY_CONTEXT}): a setting added to the table without either fails here.
 */
class AppSettingsTest {
    private static final Path CONFIGURATION = Synth.INFRA_DIR.resolve("../docs/configuration.md");
    private static final Pattern PROPERTY = Pattern.compile("`(visage\\.[a-z0-9.<>_\"-]+)`|`(\\.[a-z-]+)`");

    @Test
    void everySettingOfTheConfigurationTableIsWiredOrSaysWhyNot() throws IOException {
        Map<String, String> wired = new HashMap<>();
        AppSettings.SETTINGS.forEach(s -> wired.put(s.property(), s.contextKey()));
        List<String> missing = new ArrayList<>();
        Set<String> documented = documentedProperties();
        for (String template : documented) {
            for (String property : expand(template)) {
                if (!wired.containsKey(property) && !AppSettings.NOT_SET_BY_CONTEXT.containsKey(template)) {
                    missing.add(property);
                }
            }
        }
        assertEquals(List.of(), missing, "settings of docs/configuration.md no context key sets (AppSettings)");
        for (String excluded : AppSettings.NOT_SET_BY_CONTEXT.keySet()) {
            assertTrue(documented.contains(excluded), excluded + " is excluded but not in docs/configuration.md");
        }
        for (AppSettings.Setting s : AppSettings.SETTINGS) {
            assertTrue(
                    documented.stream().anyMatch(t -> expand(t).contains(s.property())),
                    s.property() + " is wired but not in docs/configuration.md");
        }
    }

    /** The arm64 variant gives every setting: each function's environment has each, as Quarkus reads it. */
    @Test
    void everyGivenSettingReachesEveryFunctionsEnvironment() {
        Synth.Synthesized s = Synth.arm64Variant();
        Map<String, String> given = Synth.appSettings();
        for (String export : FunctionsTest.EXPORTS) {
            Map<String, Object> env = Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))));
            given.forEach((property, value) -> assertEquals(
                    value, env.get(AppSettings.environmentVariableOf(property)), export + ": " + property));
        }
        // Nothing given, nothing set: the app's defaults stay the app's.
        Synth.Synthesized plain = Synth.jvm();
        Map<String, Object> env = Synth.env(Json.map(plain.resources().get(Synth.functionId(plain, "worker"))));
        for (AppSettings.Setting setting : AppSettings.SETTINGS) {
            assertTrue(!env.containsKey(setting.environmentVariable()), setting.property());
        }
    }

    @Test
    void namesFollowOneRule() {
        assertEquals("uploadUrlTtl", AppSettings.contextKeyOf("visage.upload-url-ttl"));
        assertEquals(
                "providers.modelslabFaceGen.maxInFlight",
                AppSettings.contextKeyOf("visage.providers.modelslab-face-gen.max-in-flight"));
        assertEquals("defaultProvider.face_gen", AppSettings.contextKeyOf("visage.default-provider.face_gen"));
        assertEquals(
                "VISAGE_PROVIDERS_MODELSLAB_FACE_GEN_MAX_IN_FLIGHT",
                AppSettings.environmentVariableOf("visage.providers.modelslab-face-gen.max-in-flight"));
        assertEquals(
                "VISAGE_DEFAULT_PROVIDER_FACE_GEN",
                AppSettings.environmentVariableOf("visage.default-provider.face_gen"));
    }

    @Test
    void valuesAreWrittenAsTheAppReadsThem() {
        Map<String, String> checked = AppSettings.check(
                Map.of(
                        "visage.ttl", " pt36h ",
                        "visage.default-provider.face_gen", "modelslab-enterprise , modelslab",
                        "visage.providers.fashn.max-in-flight", "0"),
                "test ");
        assertEquals("PT36H", checked.get("visage.ttl"));
        assertEquals("modelslab-enterprise,modelslab", checked.get("visage.default-provider.face_gen"));
        assertEquals("0", checked.get("visage.providers.fashn.max-in-flight"));
    }

    @Test
    void badValuesAreRefusedAtSynthNamingTheContextKey() {
        Map<String, String> bad = new HashMap<>();
        bad.put("ttl", "24h");
        bad.put("uploadUrlTtl", "PT0S");
        bad.put("processingDeadline", "P31D");
        bad.put("pollInterval", "-PT5S");
        bad.put("maxImageBytes", "10MB");
        bad.put("maxOutputBytes", "99999999999");
        bad.put("providers.modelslabEnterprise.maxInFlight", "1001");
        bad.put("providers.fashn.baseUrl", "https://api.fashn.ai/v1");
        bad.put("providers.metahuman.baseUrl", "ftp://api.example.com");
        bad.put("providers.modelslab.outputOrigins", "https://cdn.example.com,");
        bad.put("defaultProvider.face_gen", "dall-e");
        bad.put("defaultProvider.head_shot", "local,local");
        bad.put("log.format", "xml");
        bad.forEach((key, value) -> {
            var e = assertThrows(
                    IllegalArgumentException.class,
                    () -> AppSettings.from(Synth.app(Map.of(key, value)).getNode()),
                    key + "=" + value);
            assertTrue(e.getMessage().startsWith("context " + key + " must be"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + value.trim() + "'"), e.getMessage());
        });
        var unknown = assertThrows(
                IllegalArgumentException.class,
                () -> AppSettings.check(Map.of("visage.egress.allow-private", "true"), "appSettings: "));
        assertTrue(unknown.getMessage().contains("local experiments only"), unknown.getMessage());
    }

    /** The extension's cache lives as long as the app's copy, at most its 300 s. */
    @Test
    void theExtensionsCacheFollowsTheRefresh() {
        for (String export : FunctionsTest.EXPORTS) {
            Synth.Synthesized arm64 = Synth.arm64Variant();
            assertEquals(
                    "180",
                    Synth.env(Json.map(arm64.resources().get(Synth.functionId(arm64, export))))
                            .get("SECRETS_MANAGER_TTL"),
                    export);
            Synth.Synthesized plain = Synth.jvm();
            assertEquals(
                    "300",
                    Synth.env(Json.map(plain.resources().get(Synth.functionId(plain, export))))
                            .get("SECRETS_MANAGER_TTL"),
                    export);
        }
        assertEquals(
                java.time.Duration.ofSeconds(300),
                AppSettings.secretsCacheTtl(Map.of("visage.secrets.refresh", "PT1H")));
    }

    /** S3 counts whole days: the TTL rounded up, and a day more. */
    @Test
    void theBackstopFollowsTheTtl() {
        assertEquals(2, AppSettings.backstopDays(Map.of()));
        assertEquals(2, AppSettings.backstopDays(Map.of("visage.ttl", "PT1H")));
        assertEquals(3, AppSettings.backstopDays(Map.of("visage.ttl", "PT25H")));
        assertEquals(4, AppSettings.backstopDays(Map.of("visage.ttl", "P3D")));
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> VisageProps.fromContext(
                                Synth.app(Map.of("apiKeys", Synth.API_KEYS, "ttl", "P5D", "recordRetentionDays", "6"))
                                        .getNode(),
                                Synth.INFRA_DIR)
                        .build());
        assertTrue(e.getMessage().contains("recordRetentionDays (6) must be at least 7"), e.getMessage());
    }

    /** Property names of the table's first column, {@code .connect-timeout} completed from the one before it. */
    static Set<String> documentedProperties() throws IOException {
        Set<String> properties = new LinkedHashSet<>();
        for (String line : Files.readAllLines(CONFIGURATION)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String first = line.substring(1, line.indexOf('|', 1));
            Matcher m = PROPERTY.matcher(first);
            String last = null;
            while (m.find()) {
                if (m.group(1) != null) {
                    last = m.group(1);
                    properties.add(last);
                } else {
                    properties.add(last.substring(0, last.lastIndexOf('.')) + m.group(2));
                }
            }
        }
        properties.removeIf(p -> p.startsWith("visage.local."));
        assertTrue(properties.size() > 25, "the table was read: " + properties);
        return properties;
    }

    private static List<String> expand(String template) {
        if (template.contains("<id>")) {
            return AppSettings.REMOTE_PROVIDERS.stream()
                    .map(id -> template.replace("<id>", id))
                    .toList();
        }
        if (template.contains("<operation>")) {
            return AppSettings.OPERATIONS.stream()
                    .map(op -> template.replace("<operation>", op))
                    .toList();
        }
        return List.of(template);
    }
}
