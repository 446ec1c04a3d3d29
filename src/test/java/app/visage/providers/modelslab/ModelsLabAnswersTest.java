package app.visage.providers.modelslab;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.errors.ErrorCode;
import app.visage.jobs.model.ProviderOutcome;
import app.visage.json.Json;
import app.visage.providers.ProviderHttp;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shapes research/providers.md says ModelsLab answers in, including where its docs disagree. */
class ModelsLabAnswersTest {

    private static ProviderHttp.Answer answer(int status, String json) throws Exception {
        return new ProviderHttp.Answer(status, Json.MAPPER.readTree(json), json, null);
    }

    private static ProviderOutcome generation(String json) throws Exception {
        return ModelsLabAnswers.generation(answer(200, json), null);
    }

    private static ProviderOutcome fetch(String json) throws Exception {
        return ModelsLabAnswers.fetch(answer(200, json), "5");
    }

    private static Map<String, Object> checker(Boolean enabled, String type, Boolean nsfw) {
        Map<String, Object> checker = new HashMap<>();
        checker.put("enabled", enabled);
        checker.put("type", type);
        checker.put("nsfw_content_detected", nsfw);
        return Map.of("safety_checker", checker);
    }

    @Test
    void processingWithANumericIdAndEtaIsPendingWithTheSeedSent() throws Exception {
        var outcome = ModelsLabAnswers.generation(
                answer(
                        200,
                        "{\"status\":\"processing\",\"eta\":12,\"id\":81001,\"output\":[],\"future_links\":[\"https://x/1.png\"]}"),
                77L);
        assertThat(outcome).isEqualTo(new ProviderOutcome.Pending("81001", Duration.ofSeconds(12), 77L));
    }

    @Test
    void anIdSentAsAStringIsTheSameIdAndMetaSeedIsTheSeed() throws Exception {
        var outcome =
                generation("{\"status\":\"processing\",\"id\":\"81001\",\"eta\":\"3\",\"meta\":{\"seed\":4029484891}}");
        assertThat(outcome).isEqualTo(new ProviderOutcome.Pending("81001", Duration.ofSeconds(3), 4029484891L));
    }

    @Test
    void fetchOutputMayBeAnEmptyStringAnArrayOrOneUrl() throws Exception {
        assertThat(fetch("{\"status\":\"processing\",\"output\":\"\"}")).isInstanceOf(ProviderOutcome.Pending.class);
        var array = (ProviderOutcome.Finished)
                fetch(
                        "{\"status\":\"success\",\"id\":1,\"output\":[\"https://pub.r2.dev/a-0.png\",\"https://pub.r2.dev/a-1.png\"]}");
        assertThat(array.outputs())
                .containsExactly(
                        new ProviderOutcome.Link(URI.create("https://pub.r2.dev/a-0.png")),
                        new ProviderOutcome.Link(URI.create("https://pub.r2.dev/a-1.png")));
        // A fetch answer says nothing of the checker (its documented shape is status, id, output): no result.
        assertThat(array.result()).isNull();
        assertThat(array.providerJobId()).isEqualTo("1");
        var single =
                (ProviderOutcome.Finished) fetch("{\"status\":\"success\",\"output\":\"https://pub.r2.dev/a-0.png\"}");
        assertThat(single.outputs()).hasSize(1);
        assertThat(single.providerJobId()).isEqualTo("5");
    }

    @Test
    void successWithNoOutputsYetIsAskedAgainUnderTheSameId() throws Exception {
        assertThat(fetch("{\"status\":\"success\",\"id\":5,\"output\":[]}"))
                .isEqualTo(new ProviderOutcome.Pending("5", null, null));
        assertThat(ModelsLabAnswers.generation(
                        answer(200, "{\"status\":\"success\",\"id\":6,\"output\":[],\"meta\":{\"seed\":9}}"), 9L))
                .isEqualTo(new ProviderOutcome.Pending("6", null, 9L));
        assertThat(generation("{\"status\":\"success\",\"output\":[]}"))
                .isInstanceOf(ProviderOutcome.Unconfirmed.class);
    }

    @Test
    void anImmediateSuccessKeepsItsIdSeedAndWhatTheCheckerDid() throws Exception {
        var finished = (ProviderOutcome.Finished) ModelsLabAnswers.generation(
                answer(
                        200,
                        "{\"status\":\"success\",\"id\":32,\"output\":[\"https://pub.r2.dev/t-0.png\"],"
                                + "\"meta\":{\"safety_checker\":\"no\",\"safety_checker_type\":\"blur\",\"seed\":4029484891}}"),
                1234L);
        assertThat(finished.providerJobId()).isEqualTo("32");
        assertThat(finished.seed()).isEqualTo(4029484891L);
        assertThat(finished.result()).isEqualTo(checker(false, "blur", null));
        var flagged = (ProviderOutcome.Finished)
                generation("{\"status\":\"success\",\"id\":33,\"output\":[\"https://pub.r2.dev/t-0.png\"],"
                        + "\"nsfw_content_detected\":true,\"meta\":{\"safety_checker\":false}}");
        assertThat(flagged.result()).isEqualTo(checker(false, null, true));
    }

    @Test
    void anImageTheCheckerReplacedIsContentModeration() throws Exception {
        var outcome = generation(
                "{\"status\":\"success\",\"id\":34,\"output\":[\"https://pub.r2.dev/t-0.png\"],"
                        + "\"nsfw_content_detected\":true,\"meta\":{\"safety_checker\":\"yes\",\"safety_checker_type\":\"black\"}}");
        assertThat(outcome).isInstanceOf(ProviderOutcome.Failed.class);
        var failed = (ProviderOutcome.Failed) outcome;
        assertThat(failed.code()).isEqualTo(ErrorCode.CONTENT_MODERATION);
        assertThat(failed.message()).contains("black");
        assertThat(failed.providerCode()).isEqualTo("nsfw_content_detected");
    }

    @Test
    void outputsThatAreNotHttpUrlsAreAProviderError() throws Exception {
        for (String output : List.of("\"data:image/png;base64,AAAA\"", "[\"a-0.png\"]", "[\"ftp://x/a.png\"]")) {
            assertThat(fetch("{\"status\":\"success\",\"id\":1,\"output\":" + output + "}"))
                    .isInstanceOf(ProviderOutcome.Failed.class);
        }
    }

    @Test
    void errorsComeInHttp200BodiesWithMessageOrMessegeAndErrorOrFailed() throws Exception {
        // An error answering the generation call queued nothing: refused, so another provider may take the job.
        assertThat(generation("{\"status\":\"error\",\"messege\":\"Invalid id\"}"))
                .isEqualTo(new ProviderOutcome.Refused(ErrorCode.PROVIDER_ERROR, "ModelsLab: Invalid id", "error"));
        assertThat(fetch("{\"status\":\"failed\",\"id\":\"9\",\"message\":\"NSFW\"}"))
                .isEqualTo(new ProviderOutcome.Failed(ErrorCode.PROVIDER_ERROR, "ModelsLab: NSFW", "failed"));
    }

    @Test
    void theQueueLimitIsBusyWithItsRetryAfterWhicheverStatusCarriesIt() throws Exception {
        String limit = "{\"status\":\"error\",\"message\":\"Rate limit exceeded. Maximum 5 queued requests allowed.\","
                + "\"retry_after\":30}";
        assertThat(ModelsLabAnswers.generation(answer(429, limit), null))
                .isEqualTo(new ProviderOutcome.Busy(Duration.ofSeconds(30), "429"));
        assertThat(generation(limit.replace("30", "\"7\"")))
                .isEqualTo(new ProviderOutcome.Busy(Duration.ofSeconds(7), "429"));
    }

    @Test
    void creditAndKeyRefusalsAreRefusedServerErrorsRetry() throws Exception {
        assertThat(ModelsLabAnswers.generation(
                        answer(402, "{\"status\":\"error\",\"message\":\"Insufficient credits\"}"), null))
                .isEqualTo(new ProviderOutcome.Refused(
                        ErrorCode.PROVIDER_ERROR, "ModelsLab refused the job: Insufficient credits", "402"));
        assertThat(ModelsLabAnswers.generation(
                        new ProviderHttp.Answer(
                                503,
                                com.fasterxml.jackson.databind.node.MissingNode.getInstance(),
                                "Service Unavailable",
                                null),
                        null))
                .isInstanceOf(ProviderOutcome.Transient.class);
    }

    @Test
    void noAnswerIsRetriedOnlyWhenTheRequestNeverLeft() {
        assertThat(ModelsLabAnswers.generation(new ProviderHttp.NoAnswer(false, "ConnectException"), null))
                .isInstanceOf(ProviderOutcome.Transient.class);
        assertThat(ModelsLabAnswers.generation(new ProviderHttp.NoAnswer(true, "TimeoutException"), null))
                .isInstanceOf(ProviderOutcome.Unconfirmed.class);
        assertThat(ModelsLabAnswers.fetch(new ProviderHttp.NoAnswer(true, "TimeoutException"), "1"))
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

    @Test
    void sizesFitThePhotoWithin512By768() {
        // a 40 MP portrait photo: the largest 2:3 size within the limits
        assertThat(ModelsLabProvider.size(null, null, 5184, 7776)).containsExactly(512, 768);
        // landscape: width bound; multiples of 8
        assertThat(ModelsLabProvider.size(null, null, 4000, 3000)).containsExactly(512, 384);
        assertThat(ModelsLabProvider.size(null, null, 1000, 1100)).containsExactly(512, 560);
        // small photos are scaled up into the same box
        assertThat(ModelsLabProvider.size(null, null, 200, 300)).containsExactly(512, 768);
        // one side given: the other follows the photo, within its limit
        assertThat(ModelsLabProvider.size(256L, null, 1000, 2000)).containsExactly(256, 512);
        assertThat(ModelsLabProvider.size(512L, null, 1000, 4000)).containsExactly(512, 768);
        assertThat(ModelsLabProvider.size(null, 600L, 3000, 1000)).containsExactly(512, 600);
        // a very wide photo keeps the floor of 64; an unknown size is taken as square
        assertThat(ModelsLabProvider.size(null, null, 10000, 100)).containsExactly(512, 64);
        assertThat(ModelsLabProvider.size(null, null, 0, 0)).containsExactly(512, 512);
        assertThat(ModelsLabProvider.size(300L, 400L, 5184, 7776)).containsExactly(300, 400);
    }
}
