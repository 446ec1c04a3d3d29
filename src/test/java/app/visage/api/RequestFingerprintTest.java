package app.visage.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.jobs.model.Sha256;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fingerprints are kept in idempotency records, so a retry after a deployment must fingerprint as before:
 * the route, the media type and the body's UTF-8 bytes, each length-prefixed, whether the body is hashed
 * from its text or from bytes.
 */
class RequestFingerprintTest {

    @Test
    void aTextBodyHashesAsItsUtf8Bytes() {
        StringBuilder mixed = new StringBuilder();
        SplittableRandom random = new SplittableRandom(3);
        String[] pieces = {"a", "é", "中", "😀", "\uD800", "\uDC00", "\"", "=", "/"};
        while (mixed.length() < 70_000) {
            mixed.append(pieces[random.nextInt(pieces.length)]);
        }
        // A surrogate pair across the first chunk's end, and a lone high surrogate just before one.
        String straddling = "x".repeat(8 * 1024 - 1) + "😀" + "y";
        String loneThenPair = "x".repeat(8 * 1024 - 2) + "\uD800😀" + "y";
        for (String body : List.of(
                "",
                "{\"operation\":\"head_shot\"}",
                "{\"metadata\":{\"name\":\"Zoë 中 😀\"}}",
                "lone \uD800 and \uDC00 surrogates, and one at the end \uD83D",
                straddling,
                loneThenPair,
                mixed.toString())) {
            assertThat(RequestFingerprint.of(json(body, false)))
                    .as("body of %d chars", body.length())
                    .isEqualTo(expected("application/json", body.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aBase64BodyHashesAsItsDecodedBytes() {
        byte[] body = "{\"operation\":\"head_shot\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(RequestFingerprint.of(json(Base64.getEncoder().encodeToString(body), true)))
                .isEqualTo(expected("application/json", body))
                .isEqualTo(RequestFingerprint.of(json(new String(body, StandardCharsets.UTF_8), false)));
    }

    private static HttpRequest json(String body, boolean base64) {
        return HttpRequest.of(APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST /v1/jobs")
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(body)
                .withIsBase64Encoded(base64)
                .build());
    }

    private static String expected(String mediaType, byte[] body) {
        MessageDigest sha = Sha256.digest();
        for (byte[] field : List.of(
                "POST /v1/jobs".getBytes(StandardCharsets.UTF_8), mediaType.getBytes(StandardCharsets.UTF_8), body)) {
            sha.update(ByteBuffer.allocate(8).putLong(field.length).array());
            sha.update(field);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
