package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import app.visage.jobs.model.BucketLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** One private, encrypted bucket, TLS only, with the lifecycle backstop to cleanup and CORS for presigned URLs. */
class BucketTest {

    @Test
    void oneBucketWithEveryPublicAccessBlockOnAndEncryption() {
        var template = Synth.jvm().template();
        template.resourceCountIs("AWS::S3::Bucket", 1);
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Map.of(
                        "PublicAccessBlockConfiguration",
                                Map.of(
                                        "BlockPublicAcls", true,
                                        "BlockPublicPolicy", true,
                                        "IgnorePublicAcls", true,
                                        "RestrictPublicBuckets", true),
                        "BucketEncryption",
                                Map.of(
                                        "ServerSideEncryptionConfiguration",
                                        List.of(Map.of(
                                                "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))));
        Map<String, Object> bucket = bucket();
        assertNull(Json.path(bucket, "Properties", "VersioningConfiguration"), "versioning stays off");
        assertNull(Json.path(bucket, "Properties", "WebsiteConfiguration"));
        assertEquals("Retain", bucket.get("DeletionPolicy"));
        assertEquals("Retain", bucket.get("UpdateReplacePolicy"));
    }

    @Test
    void lifecycleExpiresInputsUploadsOutputsAndIdempotencyRecordsAfterTwoDaysAndAbortsStaleMultipartUploads() {
        List<Object> rules = Json.list(Json.path(bucket(), "Properties", "LifecycleConfiguration", "Rules"));
        assertEquals(5, rules.size(), rules.toString());
        for (String prefix : BucketLayout.TRANSIENT) {
            long matching = rules.stream()
                    .map(Json::map)
                    .filter(r -> prefix.equals(r.get("Prefix")))
                    .filter(r -> Integer.valueOf(2).equals(((Number) r.get("ExpirationInDays")).intValue()))
                    .filter(r -> "Enabled".equals(r.get("Status")))
                    .count();
            assertEquals(1, matching, prefix);
        }
        Synth.jvm()
                .template()
                .hasResourceProperties(
                        "AWS::S3::Bucket",
                        Map.of(
                                "LifecycleConfiguration",
                                Map.of(
                                        "Rules",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "AbortIncompleteMultipartUpload",
                                                Map.of("DaysAfterInitiation", 1),
                                                "Status",
                                                "Enabled")))))));
        boolean jobsExpire = rules.stream()
                .map(Json::map)
                .anyMatch(r -> r.get("Prefix") == null && r.containsKey("ExpirationInDays")
                        || "jobs/".equals(r.get("Prefix")));
        assertEquals(false, jobsExpire, "job records are kept (DESIGN.md: the record stays)");
    }

    @Test
    void corsLetsBrowsersPutPresignedUploadsAndGetOutputs() {
        Synth.jvm()
                .template()
                .hasResourceProperties(
                        "AWS::S3::Bucket",
                        Map.of(
                                "CorsConfiguration",
                                Map.of(
                                        "CorsRules",
                                        List.of(Match.objectLike(Map.of(
                                                "AllowedMethods", List.of("PUT", "GET"),
                                                "AllowedOrigins", List.of("*")))))));
    }

    @Test
    void theBucketPolicyOnlyRefusesRequestsWithoutTls() {
        var template = Synth.jvm().template();
        template.resourceCountIs("AWS::S3::BucketPolicy", 1);
        template.hasResourceProperties(
                "AWS::S3::BucketPolicy",
                Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                List.of(Match.objectLike(Map.of(
                                        "Effect", "Deny",
                                        "Action", "s3:*",
                                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void destroyIsOnlyOnRequest() {
        var s = Synth.overridden();
        s.template().hasResource("AWS::S3::Bucket", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
        s.template().hasResource("AWS::SecretsManager::Secret", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
        Synth.jvm()
                .template()
                .hasResource("AWS::SecretsManager::Secret", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
    }

    private static Map<String, Object> bucket() {
        var s = Synth.jvm();
        return Json.map(s.resources().get(Synth.logicalIdOfType(s, "AWS::S3::Bucket")));
    }
}
