package app.visage.providers.fashn;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.support.ProviderReplies;
import app.visage.support.StandaloneConfig;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * FASHN's answers to {@code /v1/run} and {@code /v1/status/{id}}, and its webhook bodies, whatever they hold:
 * an outcome the job can act on (a provider error for what cannot be read), never an exception. Input: see
 * {@link ProviderReplies}; the call line is "status" for a status call, "webhook" for a webhook body,
 * anything else for a run call.
 */
class FashnAnswersFuzzTest {
    private static final FashnProvider FASHN = new FashnProvider(StandaloneConfig.visage(Map.of()));

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void outcomeOfAnyAnswer(byte[] data) {
        ProviderReplies.Asked asked = ProviderReplies.read(data);
        switch (asked.call()) {
            case "status" -> ProviderReplies.assertUsable(FashnProvider.fetched("fuzzed-prediction", asked.reply()));
            case "webhook" ->
                FASHN.webhookJobId(asked.body().getBytes(StandardCharsets.UTF_8))
                        .ifPresent(id -> assertThat(id).isNotBlank());
            default -> ProviderReplies.assertUsable(FashnProvider.started(asked.reply(), null));
        }
    }
}
