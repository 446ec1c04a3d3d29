package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every function traces actively with X-Ray, and may write its segments. The HTTP API cannot trace (X-Ray traces
 * REST APIs only): docs/deployment.md says so.
 */
class TracingTest {

    @Test
    void everyFunctionTracesActively() {
        for (Synth.Synthesized s : List.of(Synth.jvm(), Synth.nativeVariant(), Synth.jwt())) {
            for (String export : FunctionsTest.EXPORTS) {
                assertEquals(
                        Map.of("Mode", "Active"),
                        FunctionsTest.properties(s, export).get("TracingConfig"),
                        export);
            }
        }
    }

    @Test
    void everyFunctionMayWriteItsTraceSegmentsAndNothingMore() {
        Synth.Synthesized s = Synth.jvm();
        for (String export : FunctionsTest.EXPORTS) {
            List<IamScopingTest.Statement> xray = IamScopingTest.statements(s).stream()
                    .filter(st -> st.owner().equals(IamScopingTest.roleOf(s, export)))
                    .filter(st -> st.actions().stream().anyMatch(a -> a.startsWith("xray:")))
                    .toList();
            assertEquals(1, xray.size(), export + ": " + xray);
            assertEquals(
                    List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"),
                    xray.getFirst().actions());
            // X-Ray has no resource-level permissions for these two: "*" is the only resource there is.
            assertEquals(List.of("*"), xray.getFirst().resources());
            assertTrue("Allow".equals(xray.getFirst().effect()));
        }
    }
}
