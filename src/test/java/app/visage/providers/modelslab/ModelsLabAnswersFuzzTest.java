package app.visage.providers.modelslab;

import app.visage.providers.ProviderHttp;
import app.visage.support.ProviderReplies;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * ModelsLab's answers to a generation or a fetch call, whatever their body: an outcome the job can act on
 * (a provider error for what cannot be read), never an exception. Input: see {@link ProviderReplies}; the
 * call line is "fetch" for a fetch, anything else for a generation.
 */
class ModelsLabAnswersFuzzTest {

    @FuzzTest(maxDuration = "8s")
    @Timeout(30)
    void outcomeOfAnyAnswer(byte[] data) {
        ProviderReplies.Asked asked = ProviderReplies.read(data);
        ProviderHttp.Reply reply = asked.reply();
        ProviderReplies.assertUsable(
                asked.call().equals("fetch")
                        ? ModelsLabAnswers.fetch(reply, "81000")
                        : ModelsLabAnswers.generation(reply, null));
    }
}
