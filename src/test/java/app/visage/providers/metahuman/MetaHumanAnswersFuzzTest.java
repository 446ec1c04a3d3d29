package app.visage.providers.metahuman;

import app.visage.support.ProviderReplies;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import org.junit.jupiter.api.Timeout;

/**
 * MetaHuman's answer to {@code run_pipeline}, whatever it holds: an outcome the job can act on (a provider
 * error for what cannot be read), never an exception. Input: see {@link ProviderReplies} (the call line is
 * not used).
 */
class MetaHumanAnswersFuzzTest {
    private static final URI BASE_URL = URI.create("http://127.0.0.1:9/");

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void outcomeOfAnyAnswer(byte[] data) {
        ProviderReplies.assertUsable(
                MetaHumanProvider.answered(ProviderReplies.read(data).reply(), BASE_URL));
    }
}
