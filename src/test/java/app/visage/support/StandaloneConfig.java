package app.visage.support;

import app.visage.config.VisageConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;

/**
 * The real {@link VisageConfig} mapping built by SmallRye Config without Quarkus, for tests that build
 * beans by hand. Provider base URLs point at a closed loopback port, as in the %test profile.
 */
public final class StandaloneConfig {
    private StandaloneConfig() {}

    public static VisageConfig visage(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        for (String provider :
                new String[] {"modelslab", "modelslab-enterprise", "modelslab-face-gen", "fashn", "metahuman"}) {
            values.put("visage.providers." + provider + ".base-url", "http://127.0.0.1:9");
        }
        values.put("visage.default-provider.head_shot", "local");
        values.put("visage.default-provider.face_recon", "local");
        values.put("visage.default-provider.face_gen", "modelslab");
        values.put("visage.default-provider.face_to_model", "fashn");
        values.putAll(overrides);
        return new SmallRyeConfigBuilder()
                .withMapping(VisageConfig.class)
                .withSources(new PropertiesConfigSource(values, "standalone", 100))
                .build()
                .getConfigMapping(VisageConfig.class);
    }
}
