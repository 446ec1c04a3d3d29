package app.visage.logs;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.support.TestPhotos;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each secret shape the last line of defence knows, and what it leaves alone. */
class RedactorTest {
    private static final String PROVIDER_KEY = "plain-looking-provider-key-42";
    private final Redactor redactor = new Redactor(List.of(PROVIDER_KEY, "k+y/with=specials", "short"));

    @Test
    void presignedUrlsLoseTheirQueryAndKeepTheirPath() {
        String url = "http://127.0.0.1:39811/visage/outputs/job_01HZ/1.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600"
                + "&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

        String out = redactor.redact("GET " + url + " failed");

        assertThat(out).isEqualTo("GET http://127.0.0.1:39811/visage/outputs/job_01HZ/1.png?[redacted] failed");
    }

    @Test
    void webhookTokensGoInEveryForm() {
        assertThat(redactor.redact("POST http://h/v1/provider-webhooks/fashn/job_1?token=AbC_dEf-123 said 404"))
                .isEqualTo("POST http://h/v1/provider-webhooks/fashn/job_1?[redacted] said 404");
        // Vert.x's timeout message quotes the request line: our webhook URL inside FASHN's query, encoded.
        assertThat(redactor.redact("while executing POST /v1/run?webhook_url=http%3A%2F%2F127.0.0.1%2Fv1%2F"
                        + "provider-webhooks%2Ffashn%2Fjob_1%3Ftoken%3DAbC_dEf-123 for server h:443"))
                .doesNotContain("AbC_dEf-123")
                .doesNotContain("webhook_url=")
                .endsWith(" for server h:443");
        assertThat(redactor.redact("hook http%3A%2F%2Fh%2Fp%3Ftoken%3DAbC_dEf-123 end"))
                .doesNotContain("AbC_dEf-123")
                .endsWith(" end");
        assertThat(redactor.redact("cut out: token=AbC_dEf-123&x=1")).doesNotContain("AbC_dEf-123");
        assertThat(redactor.redact("X-Amz-Signature=deadbeef and X-Amz-Credential=AKIA%2Fx"))
                .doesNotContain("X-Amz")
                .doesNotContain("deadbeef")
                .doesNotContain("AKIA");
    }

    @Test
    void credentialsInHeadersAndBodiesGo() {
        assertThat(redactor.redact("Authorization: Bearer sk_live_abc.def")).isEqualTo("Authorization: [redacted]");
        assertThat(redactor.redact("headers={Authorization=[Bearer sk_live_abc], Accept=[*/*]}"))
                .isEqualTo("headers={Authorization=[[redacted]], Accept=[*/*]}");
        assertThat(redactor.redact("authorization: Basic dXNlcjpwYXNz")).doesNotContain("dXNlcjpwYXNz");
        assertThat(redactor.redact("x-api-key: abc123def")).isEqualTo("x-api-key: [redacted]");
        assertThat(redactor.redact("body {\"key\":\"ml-secret\",\"prompt\":\"studio\",\"token\" : \"t0k\"}"))
                .isEqualTo("body {\"key\":\"[redacted]\",\"prompt\":\"studio\",\"token\" : \"[redacted]\"}");
    }

    @Test
    void webhookSigningSecretsGoWithTheirBody() {
        assertThat(redactor.redact("secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw!"))
                .isEqualTo("secret [redacted]!");
    }

    @Test
    void photosGoWhetherDataUrisBase64OrBytes() {
        byte[] photo = TestPhotos.bytes("astronaut.jpg");
        String base64 = Base64.getEncoder().encodeToString(photo);

        String dataUri = redactor.redact("{\"face_image\":\"data:image/jpeg;base64," + base64 + "\"}");
        assertThat(dataUri).isEqualTo("{\"face_image\":\"data:[redacted]\"}");
        assertThat(redactor.redact("bytes " + base64.substring(1000, 1400) + " end"))
                .isEqualTo("bytes [redacted] end");
        String raw = redactor.redact("got " + new String(photo, 0, 600, StandardCharsets.ISO_8859_1) + " end");
        assertThat(raw)
                .startsWith("got ")
                .endsWith(" end")
                .doesNotContain("\u00ff\u00d8\u00ff")
                .hasSizeLessThan(300);
        assertThat(redactor.redact("png "
                        + new String(TestPhotos.png(TestPhotos.image("coffee.jpg")), 0, 64, StandardCharsets.UTF_8)))
                .doesNotContain("PNG");
    }

    @Test
    void configuredSecretsGoWhateverTheirShape() {
        assertThat(redactor.redact("provider said: invalid key " + PROVIDER_KEY + "."))
                .isEqualTo("provider said: invalid key [redacted].");
        assertThat(redactor.redact("k+y/with=specials and k%2By%2Fwith%3Dspecials"))
                .isEqualTo("[redacted] and [redacted]");
        assertThat(redactor.redact("a short secret is not looked for")).contains("short");
    }

    @Test
    void ordinaryLinesAreLeftAlone() {
        List<String> lines = List.of(
                "job job_01HZX5M2 created: head_shot at local",
                "job job_01HZX5M2: client webhook msg_job_01HZX5M2 not delivered (HTTP 503), now waiting",
                "\tat app.visage.jobs.usecase.RunJob.startAtProvider(RunJob.java:102)",
                "cleanup: 2 due steps queued, 0 unreadable markers removed, 0 errors",
                "refused a webhook for provider fashn: unknown job, other provider or wrong token",
                "metadata: {user=42}, what? nothing",
                "Visage local mode: API on http://127.0.0.1:8080, S3 at http://127.0.0.1:9000/visage, data in ./.visage-data");
        for (String line : lines) {
            assertThat(redactor.redact(line)).isEqualTo(line);
        }
    }

    @Test
    void stackTracesKeepTheirFramesAndLoseSecretsInTheirMessages() {
        String frame =
                "\tat io.quarkus.arc.generator.Default_jakarta_enterprise_context_ApplicationScoped_ContextInstances"
                        + "_1c5d8e2f9a3b7c6d.computeIfAbsent(Unknown Source)";
        String trace = "java.lang.IllegalStateException: GET http://h/x?X-Amz-Signature=abc failed\n" + frame + "\n"
                + "Caused by: java.io.IOException: Bearer abc.def\n\t... 3 more\n";

        assertThat(redactor.redactStackTrace(trace))
                .isEqualTo("java.lang.IllegalStateException: GET http://h/x?[redacted]" + " failed\n" + frame
                        + "\nCaused by: java.io.IOException: [redacted]\n\t... 3 more\n");
        assertThat(redactor.redact(frame))
                .as("a frame through the message rules")
                .contains(Redactor.MARK);
    }

    @Test
    void longLinesAreCutAfterRedaction() {
        String out = redactor.redact("x ".repeat(Redactor.MAX_LENGTH));
        assertThat(out).hasSize(Redactor.MAX_LENGTH + "…[truncated]".length()).endsWith("…[truncated]");
    }

    @Test
    void secretPropertiesAreKnownByName() {
        assertThat(List.of(
                        "visage.providers.fashn.api-key",
                        "VISAGE_PROVIDERS_MODELSLAB_ENTERPRISE_API_KEY",
                        "visage.webhooks.secret",
                        "visage.auth.api-keys",
                        "VISAGE_WEBHOOKS_SECRET"))
                .allMatch(Redactor::isSecretProperty);
        assertThat(List.of(
                        "visage.bucket",
                        "visage.providers.fashn.base-url",
                        "visage.secrets.arn",
                        "quarkus.http.auth.secret"))
                .noneMatch(Redactor::isSecretProperty);
    }
}
