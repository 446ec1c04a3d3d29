package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void everyVariantPassesBothPacks() {
        for (Map<String, Object> variant : Synth.VARIANTS) {
            assertClean(variant);
        }
    }

    /** The packs do run: without the suppressions, what they are for is found. */
    @Test
    void withoutTheSuppressionsThePacksFindWhatTheyAreFor() {
        List<String> findings = findings(Synth.JVM, false);
        for (String rule : List.of("AwsSolutions-IAM5", "AwsSolutions-S1", "Serverless-LambdaDLQ", "AwsSolutions-L1")) {
            assertTrue(findings.stream().anyMatch(f -> f.contains(rule)), rule + " not in " + findings);
        }
    }

    private static void assertClean(Map<String, Object> context) {
        List<String> findings = findings(context, true);
        assertEquals(List.of(), findings, context + ":\n" + String.join("\n", findings));
    }

    private static List<String> findings(Map<String, Object> context, boolean suppressed) {
        App app = Synth.app(context);
        VisageStack stack = new VisageStack(app, "Visage", VisageProps.fromContext(app.getNode(), Synth.INFRA_DIR));
        if (suppressed) {
            NagFindings.suppress(stack);
        }
        Aspects.of(app).add(new AwsSolutionsChecks());
        Aspects.of(app).add(new ServerlessChecks());
        Annotations annotations = Annotations.fromStack(stack);
        List<String> findings = new ArrayList<>();
        for (List<SynthesisMessage> messages :
                List.of(annotations.findError("*", Match.anyValue()), annotations.findWarning("*", Match.anyValue()))) {
            messages.forEach(m -> findings.add(m.getId() + ": " + m.getEntry().getData()));
        }
        return findings;
    }
}
