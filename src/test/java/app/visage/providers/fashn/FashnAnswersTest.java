package app.visage.providers.fashn;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.json.Json;
import app.visage.providers.ProviderHttp;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each FASHN answer becomes, per the table in docs/providers/fashn.md: the runtime errors FASHN says to
 * retry run the job again, a completion with nothing to copy is a failure, and every message that ends a run
 * names the prediction.
 */
class FashnAnswersTest {
    private static final String ID = "123a87r9-4129-4bb3-be18-9c9fb5bd7fc1-u1";

    private static ProviderHttp.Answer answer(int status, String json) throws Exception {
        return new ProviderHttp.Answer(status, Json.MAPPER.readTree(json), json, null);
    }

    private static ProviderOutcome status(String json) throws Exception {
        return FashnProvider.fetched(ID, answer(200, json));
    }

    private static ProviderOutcome failedWith(String name) throws Exception {
        return status("{\"id\":\"" + ID + "\",\"status\":\"failed\",\"output\":null," + "\"error\":{\"name\":\"" + name
                + "\",\"message\":\"scripted\"}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PipelineError", "ThirdPartyError", "3rdPartyProviderError", "InternalServerError"})
    void runtimeErrorsFashnSaysToRetryRunTheJobAgain(String name) throws Exception {
        ProviderOutcome outcome = failedWith(name);

        assertThat(outcome).isInstanceOf(ProviderOutcome.Rerun.class);
        ProviderOutcome.Rerun rerun = (ProviderOutcome.Rerun) outcome;
        assertThat(rerun.providerCode()).isEqualTo(name);
        assertThat(rerun.message()).contains("scripted").contains(ID);
    }

    @ParameterizedTest
    @CsvSource({
        "ImageLoadError,IMAGE_UNREADABLE",
        "PhotoTypeError,IMAGE_UNREADABLE",
        "ContentModerationError,CONTENT_MODERATION",
        "NSFWError,CONTENT_MODERATION",
        "PoseError,PROVIDER_ERROR",
        "LoRALoadError,PROVIDER_ERROR",
        "InputValidationError,PROVIDER_ERROR",
        "AnErrorNoDocumentGives,PROVIDER_ERROR"
    })
    void otherRuntimeErrorsAreFinal(String name, ErrorCode code) throws Exception {
        ProviderOutcome outcome = failedWith(name);

        assertThat(outcome).isInstanceOf(ProviderOutcome.Failed.class);
        ProviderOutcome.Failed failed = (ProviderOutcome.Failed) outcome;
        assertThat(failed.code()).isEqualTo(code);
        assertThat(failed.providerCode()).isEqualTo(name);
        assertThat(failed.message()).contains(ID);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"status\":\"failed\",\"output\":null,\"error\":null}",
                "{\"status\":\"failed\"}",
                "{\"status\":\"failed\",\"error\":{\"message\":\"no name\"}}",
                "{\"status\":\"failed\",\"error\":\"PipelineError\"}"
            })
    void aFailureWithoutAnErrorObjectIsFinal(String json) throws Exception {
        ProviderOutcome outcome = status(json);

        assertThat(outcome).isInstanceOf(ProviderOutcome.Failed.class);
        assertThat(((ProviderOutcome.Failed) outcome).code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
        assertThat(((ProviderOutcome.Failed) outcome).message()).contains(ID);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"status\":\"completed\",\"output\":[],\"error\":null}",
                "{\"status\":\"completed\",\"output\":null,\"error\":null}",
                "{\"status\":\"completed\",\"error\":null}",
                "{\"status\":\"completed\",\"output\":[\"\",null,\"  \"]}",
                "{\"status\":\"completed\",\"output\":[1,{\"url\":\"https://cdn.fashn.ai/a.png\"}]}",
                "{\"status\":\"completed\",\"output\":\"\"}"
            })
    void aCompletionWithNothingToCopyIsAFailure(String json) throws Exception {
        ProviderOutcome outcome = status(json);

        assertThat(outcome)
                .isEqualTo(new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR,
                        "FASHN completed the prediction without an output (prediction " + ID + ")",
                        null));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"face.png", "ftp://cdn.fashn.ai/a.png", "data:image/png,notbase64", "data:image/png;base64,"})
    void anOutputThatIsNeitherAUrlNorBase64IsAFailure(String entry) throws Exception {
        ProviderOutcome outcome = status("{\"status\":\"completed\",\"output\":[\"" + entry + "\"]}");

        assertThat(outcome).isInstanceOf(ProviderOutcome.Failed.class);
        assertThat(((ProviderOutcome.Failed) outcome).message()).contains("neither a URL nor base64");
    }

    @Test
    void aCompletionWithOutputsFinishesWithThePredictionId() throws Exception {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3};
        String dataUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(jpeg);
        ProviderOutcome outcome = status("{\"id\":\"" + ID + "\",\"status\":\"completed\",\"output\":"
                + "[\"https://cdn.fashn.ai/" + ID + "/output_0.png\",\"" + dataUri + "\"],\"error\":null}");

        assertThat(outcome).isInstanceOf(ProviderOutcome.Finished.class);
        ProviderOutcome.Finished finished = (ProviderOutcome.Finished) outcome;
        assertThat(finished.providerJobId()).isEqualTo(ID);
        assertThat(finished.outputs()).hasSize(2);
        assertThat(finished.outputs().get(0))
                .isEqualTo(new ProviderOutcome.Link(URI.create("https://cdn.fashn.ai/" + ID + "/output_0.png")));
        // The page's prefix says png whatever the format: the bytes are kept as they are, their format read later.
        assertThat(((ProviderOutcome.Bytes) finished.outputs().get(1)).bytes()).isEqualTo(jpeg);
    }

    @Test
    void aForgottenPredictionIsFinalAndNamed() throws Exception {
        ProviderOutcome outcome = FashnProvider.fetched(
                ID, answer(404, "{\"error\":\"NotFound\",\"message\":\"prediction status is no longer tracked\"}"));

        assertThat(outcome)
                .isEqualTo(new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR, "FASHN no longer tracks prediction " + ID, "NotFound"));
    }

    @Test
    void theRunAnswerCarriesTheSeedSent() throws Exception {
        assertThat(FashnProvider.started(answer(200, "{\"id\":\"" + ID + "\",\"error\":null}"), 7L))
                .isEqualTo(new ProviderOutcome.Pending(ID, Duration.ofSeconds(12), 7L));
        assertThat(FashnProvider.started(answer(200, "{\"id\":\"" + ID + "\",\"error\":null}"), null))
                .isEqualTo(new ProviderOutcome.Pending(ID, Duration.ofSeconds(12), null));
    }

    @ParameterizedTest
    @CsvSource({
        "429,RateLimitExceeded,Busy",
        "429,ConcurrencyLimitExceeded,Busy",
        "429,OutOfCredits,Refused",
        "401,UnauthorizedAccess,Refused",
        "400,BadRequest,Refused",
        "500,InternalServerError,Transient"
    })
    void apiLevelErrorsOnTheRunCall(int status, String name, String kind) throws Exception {
        ProviderOutcome outcome =
                FashnProvider.started(answer(status, "{\"error\":\"" + name + "\",\"message\":\"scripted\"}"), null);

        assertThat(outcome.getClass().getSimpleName()).isEqualTo(kind);
    }
}
