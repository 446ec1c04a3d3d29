package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Provider keys and the webhook secret live in one Secrets Manager secret, never in the environment. */
class SecretsTest {
    private static final Pattern KEY_LIKE = Pattern.compile("(?i).*(API_?KEY|TOKEN|PASSWORD|WEBHOOKS?_SECRET).*");
    private static final Pattern HASHED_KEYS = Pattern.compile("[^=,]+=[0-9a-f]{64}(,[^=,]+=[0-9a-f]{64})*");

    @Test
    void oneSecretWhoseValueTheStackGeneratesAndNeverWritesDown() {
        Synth.Synthesized s = Synth.jvm();
        s.template().resourceCountIs("AWS::SecretsManager::Secret", 1);
        Map<String, Object> props =
                Json.map(Json.map(s.resources().get(Synth.logicalIdOfType(s, "AWS::SecretsManager::Secret")))
                        .get("Properties"));
        assertNull(props.get("SecretString"), "no secret value in the template");
        Map<String, Object> generate = Json.map(props.get("GenerateSecretString"));
        assertEquals("{}", generate.get("SecretStringTemplate"));
        assertEquals("visage.webhooks.secret", generate.get("GenerateStringKey"));
    }

    @Test
    void everyFunctionMayReadExactlyThatSecret() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant())) {
            String secret = Synth.logicalIdOfType(s, "AWS::SecretsManager::Secret");
            for (String export : FunctionsTest.EXPORTS) {
                String role = IamScopingTest.roleOf(s, export);
                List<IamScopingTest.Statement> reads = IamScopingTest.statements(s).stream()
                        .filter(st -> st.owner().equals(role))
                        .filter(st -> st.actions().stream().anyMatch(a -> a.startsWith("secretsmanager:")))
                        .toList();
                assertEquals(1, reads.size(), export + ": " + reads);
                assertEquals("Allow", reads.getFirst().effect());
                assertEquals(
                        List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                        reads.getFirst().actions(),
                        export);
                assertEquals(List.of("${" + secret + "}"), reads.getFirst().resources(), export);
            }
        }
    }

    @Test
    void noEnvironmentVariableCarriesAKey() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant(), Synth.jwt(), Synth.arm64Variant())) {
            s.resources().forEach((id, r) -> {
                Map<String, Object> resource = Json.map(r);
                if (!"AWS::Lambda::Function".equals(resource.get("Type"))) {
                    return;
                }
                Synth.env(resource).forEach((name, value) -> {
                    if (name.equals("VISAGE_AUTH_API_KEYS")) {
                        // Clients' keys are there only as their SHA-256 (ClientAuthTest checks the value).
                        assertTrue(HASHED_KEYS.matcher((String) value).matches(), id + ": " + name);
                        return;
                    }
                    assertFalse(KEY_LIKE.matcher(name).matches(), id + ": " + name);
                    // A provider's settings may be there (AppSettings), never its key.
                    assertFalse(name.matches("VISAGE_PROVIDERS_.*_KEY"), id + ": " + name);
                    if (value instanceof String text) {
                        assertFalse(KEY_LIKE.matcher(text).matches(), id + ": " + name + "=" + text);
                    }
                });
            });
        }
    }
}
