package app.visage.support;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.ProviderOutcome;
import app.visage.providers.ProviderHttp;
import java.nio.charset.StandardCharsets;

/**
 * Provider replies read from fuzz inputs, framed as lines: the HTTP status ("none": the call never left,
 * "lost": it left and no answer came), what was asked (adapter-specific), the Retry-After header (empty:
 * none); then the body as the provider sent it.
 */
public final class ProviderReplies {
    private ProviderReplies() {}

    public record Asked(ProviderHttp.Reply reply, String call, String body) {}

    public static Asked read(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        String status = in.line().trim();
        String call = in.line();
        String retryAfter = in.lineOrNull();
        String body = new String(in.rest(), StandardCharsets.UTF_8);
        ProviderHttp.Reply reply = switch (status) {
            case "none" -> new ProviderHttp.NoAnswer(false, "ConnectException");
            case "lost" -> new ProviderHttp.NoAnswer(true, "TimeoutException");
            default -> ProviderHttp.answer(status(status), body, retryAfter);
        };
        return new Asked(reply, call, body);
    }

    private static int status(String text) {
        try {
            return Math.floorMod(Integer.parseInt(text), 1000);
        } catch (NumberFormatException e) {
            return 200;
        }
    }

    /** What every reading of a reply must give: an outcome, complete enough for the job to act on. */
    public static void assertUsable(ProviderOutcome outcome) {
        assertThat(outcome).isNotNull();
        switch (outcome) {
            case ProviderOutcome.Finished finished ->
                assertThat(finished.outputs()).doesNotContainNull();
            case ProviderOutcome.Failed failed -> {
                assertThat(failed.code()).isNotNull();
                assertThat(failed.message()).isNotBlank();
            }
            case ProviderOutcome.Refused refused -> {
                assertThat(refused.code()).isNotNull();
                assertThat(refused.message()).isNotBlank();
            }
            case ProviderOutcome.Busy busy -> assertThat(busy.retryAfter()).isNotNull();
            case ProviderOutcome.Transient t -> assertThat(t.message()).isNotBlank();
            case ProviderOutcome.Unconfirmed u -> assertThat(u.message()).isNotBlank();
            case ProviderOutcome.Rerun rerun -> assertThat(rerun.message()).isNotBlank();
            case ProviderOutcome.Pending pending -> {}
        }
    }
}
