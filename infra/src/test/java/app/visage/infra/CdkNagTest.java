package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.ServerlessChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag's AWS Solutions and Serverless packs over every variant the tests synthesize: no error and no warning
 * but those {@link NagFindings} suppresses, each with its reason.
 */
class CdkNagTest {

    @Test
    void theJvmVariantPassesBothPacks() {
        assertClean(Map.of("runtime", "jvm", "apiKeys", Synth.API_KEYS));
    }

    @Test
    void theNativeVariantPassesBothPacks() {
        assertClean(Map.of("runtime", "native", "apiKeys", Synth.API_KEYS));
    }

    @Test
    void theJwtVariantWithAnAlarmEmailPassesBothPacks() {
        assertClean(Map.of(
                "jwtIssuer",
                Synth.JWT_ISSUER,
                "jwtAudience",
                String.join(",", Synth.JWT_AUDIENCE),
                "alarmEmail",
                Synth.ALARM_EMAIL));
    }

    private static void assertClean(Map<String, Object> context) {
        App app = Synth.app(context);
        VisageStack stack = new VisageStack(app, "Visage", DeploySettings.from(app.getNode(), Synth.INFRA_DIR));
        NagFindings.suppress(stack);
        Aspects.of(app).add(new AwsSolutionsChecks());
        Aspects.of(app).add(new ServerlessChecks());
        Annotations annotations = Annotations.fromStack(stack);
        List<String> findings = new ArrayList<>();
        for (List<SynthesisMessage> messages :
                List.of(annotations.findError("*", Match.anyValue()), annotations.findWarning("*", Match.anyValue()))) {
            messages.forEach(m -> findings.add(m.getId() + ": " + m.getEntry().getData()));
        }
        assertEquals(List.of(), findings, String.join("\n", findings));
    }
}
