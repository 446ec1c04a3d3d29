package app.visage.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The POST policy signer; the embedded S3 tests check that S3Proxy, which verifies such forms, accepts it. */
class PostPolicyTest {
    private static final Instant SIGNED = Instant.parse("2026-12-04T13:05:09Z");
    private static final PostPolicy POLICY = new PostPolicy(
            "visage-bucket", "uploads/job_abc/face.jpg", "image/jpeg", 10_485_760, SIGNED, SIGNED.plusSeconds(900));

    /** AWS's own worked example of a POST signature (S3 API reference, "Example: Browser-Based Upload"). */
    @Test
    void signsAsAwsDocumentsItsExample() {
        String policy = "eyAiZXhwaXJhdGlvbiI6ICIyMDEzLTA4LTA3VDEyOjAwOjAwLjAwMFoiLA0KI"
                + "CAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0In0sD"
                + "QogICAgWyJzdGFydHMtd2l0aCIsICIka2V5IiwgInVzZXIvdXNlcjEvIl0sDQogICAge"
                + "yJhY2wiOiAicHVibGljLXJlYWQifSwNCiAgICB7InN1Y2Nlc3NfYWN0aW9uX3JlZGlyZ"
                + "WN0IjogImh0dHA6Ly9leGFtcGxlYnVja2V0LnMzLmFtYXpvbmF3cy5jb20vc3VjY2Vzc"
                + "2Z1bF91cGxvYWQuaHRtbCJ9LA0KICAgIFsic3RhcnRzLXdpdGgiLCAiJENvbnRlbnQtV"
                + "HlwZSIsICJpbWFnZS8iXSwNCiAgICB7IngtYW16LW1ldGEtdXVpZCI6ICIxNDM2NTEyM"
                + "zY1MTI3NCJ9LA0KICAgIFsic3RhcnRzLXdpdGgiLCAiJHgtYW16LW1ldGEtdGFnIiwgI"
                + "iJdLA0KDQogICAgeyJ4LWFtei1jcmVkZW50aWFsIjogIkFLSUFJT1NGT0ROTjdFWEFNU"
                + "ExFLzIwMTMwODA2L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSwNCiAgICB7IngtY"
                + "W16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0sDQogICAgeyJ4LWFtei1kY"
                + "XRlIjogIjIwMTMwODA2VDAwMDAwMFoiIH0NCiAgXQ0KfQ==";

        assertThat(PostPolicy.signature(policy, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130806", "us-east-1"))
                .isEqualTo("21496b44de44ccb73d545f1a995c68214c9cb0d41c45a17a5daeec0b1a6db047");
    }

    @Test
    void theFormCarriesTheCredentialScopeAndEveryFieldItSendsIsOneThePolicyNames() throws Exception {
        Map<String, String> fields = POLICY.fields("eu-west-1", "AKIDEXAMPLE", "secret", null);

        assertThat(fields.keySet())
                .containsExactly(
                        "key",
                        "Content-Type",
                        "x-amz-algorithm",
                        "x-amz-credential",
                        "x-amz-date",
                        "policy",
                        "x-amz-signature");
        assertThat(fields)
                .containsEntry("x-amz-credential", "AKIDEXAMPLE/20261204/eu-west-1/s3/aws4_request")
                .containsEntry("x-amz-date", "20261204T130509Z");
        JsonNode policy = decode(fields.get("policy"));
        assertThat(policy.path("expiration").asText()).isEqualTo("2026-12-04T13:20:09.000Z");
        List<String> named = new ArrayList<>();
        for (JsonNode condition : policy.path("conditions")) {
            if (condition.isObject()) {
                condition.properties().forEach(e -> {
                    named.add(e.getKey());
                    if (fields.containsKey(e.getKey())) {
                        assertThat(e.getValue().asText()).isEqualTo(fields.get(e.getKey()));
                    }
                });
            } else {
                assertThat(condition.toString()).isEqualTo("[\"content-length-range\",1,10485760]");
            }
        }
        assertThat(named).contains("bucket").containsAll(fieldsSigned(fields));
        assertThat(fields.get("x-amz-signature"))
                .isEqualTo(PostPolicy.signature(fields.get("policy"), "secret", "20261204", "eu-west-1"))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void aRoleSessionTokenIsSentAndBoundByThePolicy() throws Exception {
        Map<String, String> fields = POLICY.fields("us-east-1", "ASIAEXAMPLE", "secret", "the-session-token");

        assertThat(fields).containsEntry("x-amz-security-token", "the-session-token");
        assertThat(decode(fields.get("policy")).path("conditions").toString())
                .contains("{\"x-amz-security-token\":\"the-session-token\"}");
    }

    @Test
    void anotherSizeLimitOrExpiryIsAnotherSignature() {
        String signature = POLICY.fields("us-east-1", "AKID", "secret", null).get("x-amz-signature");
        PostPolicy larger = new PostPolicy(
                POLICY.bucket(),
                POLICY.key(),
                POLICY.contentType(),
                POLICY.maxBytes() + 1,
                POLICY.signedAt(),
                POLICY.expiresAt());
        PostPolicy later = new PostPolicy(
                POLICY.bucket(),
                POLICY.key(),
                POLICY.contentType(),
                POLICY.maxBytes(),
                POLICY.signedAt(),
                POLICY.expiresAt().plusSeconds(1));

        assertThat(larger.fields("us-east-1", "AKID", "secret", null).get("x-amz-signature"))
                .isNotEqualTo(signature);
        assertThat(later.fields("us-east-1", "AKID", "secret", null).get("x-amz-signature"))
                .isNotEqualTo(signature);
    }

    @Test
    void refusesALimitBelowOneByteAndAnExpiryNotAfterTheSigning() {
        assertThatThrownBy(() -> new PostPolicy("b", "k", "image/png", 0, SIGNED, SIGNED.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PostPolicy("b", "k", "image/png", 1, SIGNED, SIGNED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The fields the policy must name: all but the policy and the signature themselves. */
    private static List<String> fieldsSigned(Map<String, String> fields) {
        return fields.keySet().stream()
                .filter(f -> !f.equals("policy") && !f.equals("x-amz-signature"))
                .toList();
    }

    private static JsonNode decode(String base64) throws Exception {
        return new ObjectMapper().readTree(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
    }
}
