package app.visage.providers.modelslab;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.json.Json;
import app.visage.providers.ProviderHttp;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shapes research/providers.md says ModelsLab answers in, including where its docs disagree. */
class ModelsLabAnswersTest {

    private static ProviderHttp.Answer answer(int status, String json) throws Exception {
        return new ProviderHttp.Answer(status, Json.MAPPER.readTree(json), json, null);
    }

    @Test
    void processingWithANumericIdAndEtaIsPending() throws Exception {
        var outcome = ModelsLabAnswers.generation(
                answer(
                        200,
                        "{\"status\":\"processing\",\"eta\":12,\"id\":81001,\"output\":[],\"future_links\":[\"https://x/1.png\"]}"));
        assertThat(outcome).isEqualTo(new ProviderOutcome.Pending("81001", Duration.ofSeconds(12)));
    }

    @Test
    void anIdSentAsAStringIsTheSameId() throws Exception {
        var outcome =
                ModelsLabAnswers.generation(answer(200, "{\"status\":\"processing\",\"id\":\"81001\",\"eta\":\"3\"}"));
        assertThat(outcome).isEqualTo(new ProviderOutcome.Pending("81001", Duration.ofSeconds(3)));
    }

    @Test
    void fetchOutputMayBeAnEmptyStringAnArrayOrOneUrl() throws Exception {
        assertThat(ModelsLabAnswers.fetch(answer(200, "{\"status\":\"processing\",\"output\":\"\"}")))
                .isInstanceOf(ProviderOutcome.Pending.class);
        var array = (ProviderOutcome.Finished)
                ModelsLabAnswers.fetch(
                        answer(
                                200,
                                "{\"status\":\"success\",\"id\":1,\"output\":[\"https://pub.r2.dev/a-0.png\",\"https://pub.r2.dev/a-1.png\"]}"));
        assertThat(array.outputs())
                .containsExactly(
                        new ProviderOutcome.Link(URI.create("https://pub.r2.dev/a-0.png")),
                        new ProviderOutcome.Link(URI.create("https://pub.r2.dev/a-1.png")));
        var single = (ProviderOutcome.Finished) ModelsLabAnswers.fetch(
                answer(200, "{\"status\":\"success\",\"output\":\"https://pub.r2.dev/a-0.png\"}"));
        assertThat(single.outputs()).hasSize(1);
    }

    @Test
    void successWithNoOutputsYetIsAskedAgain() throws Exception {
        assertThat(ModelsLabAnswers.fetch(answer(200, "{\"status\":\"success\",\"id\":5,\"output\":[]}")))
                .isEqualTo(new ProviderOutcome.Pending("5", null));
    }

    @Test
    void errorsComeInHttp200BodiesWithMessageOrMessegeAndErrorOrFailed() throws Exception {
        assertThat(ModelsLabAnswers.generation(answer(200, "{\"status\":\"error\",\"messege\":\"Invalid id\"}")))
                .isEqualTo(new ProviderOutcome.Failed(ErrorCode.PROVIDER_ERROR, "ModelsLab: Invalid id", "error"));
        assertThat(ModelsLabAnswers.fetch(answer(200, "{\"status\":\"failed\",\"id\":\"9\",\"message\":\"NSFW\"}")))
                .isEqualTo(new ProviderOutcome.Failed(ErrorCode.PROVIDER_ERROR, "ModelsLab: NSFW", "failed"));
    }

    @Test
    void theQueueLimitIsBusyWithItsRetryAfterWhicheverStatusCarriesIt() throws Exception {
        String limit = "{\"status\":\"error\",\"message\":\"Rate limit exceeded. Maximum 5 queued requests allowed.\","
                + "\"retry_after\":30}";
        assertThat(ModelsLabAnswers.generation(answer(429, limit)))
                .isEqualTo(new ProviderOutcome.Busy(Duration.ofSeconds(30), "429"));
        assertThat(ModelsLabAnswers.generation(answer(200, limit.replace("30", "\"7\""))))
                .isEqualTo(new ProviderOutcome.Busy(Duration.ofSeconds(7), "429"));
    }

    @Test
    void creditAndKeyRefusalsFailServerErrorsRetry() throws Exception {
        assertThat(ModelsLabAnswers.generation(
                        answer(402, "{\"status\":\"error\",\"message\":\"Insufficient credits\"}")))
                .isEqualTo(new ProviderOutcome.Failed(
                        ErrorCode.PROVIDER_ERROR, "ModelsLab refused the job: Insufficient credits", "402"));
        assertThat(ModelsLabAnswers.generation(new ProviderHttp.Answer(
                        503,
                        com.fasterxml.jackson.databind.node.MissingNode.getInstance(),
                        "Service Unavailable",
                        null)))
                .isInstanceOf(ProviderOutcome.Transient.class);
    }

    @Test
    void noAnswerIsRetriedOnlyWhenTheRequestNeverLeft() {
        assertThat(ModelsLabAnswers.generation(new ProviderHttp.NoAnswer(false, "ConnectException")))
                .isInstanceOf(ProviderOutcome.Transient.class);
        assertThat(ModelsLabAnswers.generation(new ProviderHttp.NoAnswer(true, "TimeoutException")))
                .isInstanceOf(ProviderOutcome.Unconfirmed.class);
        assertThat(ModelsLabAnswers.fetch(new ProviderHttp.NoAnswer(true, "TimeoutException")))
                .isInstanceOf(ProviderOutcome.Transient.class);
    }

    @Test
    void trackIdsAreStableAndExactInAnyJsonReader() {
        var job = app.visage.jobs.model.JobId.random();
        assertThat(ModelsLabProvider.trackId(job))
                .isEqualTo(ModelsLabProvider.trackId(job))
                .isBetween(0L, (1L << 53) - 1);
        assertThat(ModelsLabProvider.trackId(job))
                .isNotEqualTo(ModelsLabProvider.trackId(app.visage.jobs.model.JobId.random()));
    }
}
