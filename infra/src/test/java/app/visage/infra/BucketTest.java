package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import app.visage.jobs.model.BucketLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/**
 * One private, encrypted bucket, TLS only, with CORS for presigned URLs and lifecycle rules: a backstop to the
 * worker's expiry and to cleanup, and the retention of job records.
 */
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
        List<Object> rules = rules(Synth.jvm());
        assertEquals(9, rules.size(), rules.toString());
        for (String prefix : BucketLayout.TRANSIENT) {
            assertEquals(List.of(2), expiryDays(rules, prefix), prefix);
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
        boolean everythingExpires = rules.stream()
                .map(Json::map)
                .anyMatch(r -> r.get("Prefix") == null && r.containsKey("ExpirationInDays"));
        assertEquals(false, everythingExpires, "an expiry without a prefix would delete the whole bucket");
    }

    @Test
    void jobRecordsAreKeptForTheRecordRetentionThirtyDaysByDefault() {
        assertEquals(List.of(30), expiryDays(rules(Synth.jvm()), BucketLayout.JOBS));
        assertEquals(List.of(90), expiryDays(rules(Synth.overridden()), BucketLayout.JOBS));
    }

    @Test
    void theTenantsIndexesOfJobsAreKeptAsLongAsTheRecords() {
        assertEquals(List.of(30), expiryDays(rules(Synth.jvm()), BucketLayout.TENANTS));
        assertEquals(List.of(90), expiryDays(rules(Synth.overridden()), BucketLayout.TENANTS));
    }

    /** A quota slot's job is younger than the slot's last write, so its record outlives any active job's slot. */
    @Test
    void theTenantsQuotaDocumentsAreKeptAsLongAsTheRecords() {
        assertEquals(List.of(30), expiryDays(rules(Synth.jvm()), BucketLayout.QUOTAS));
        assertEquals(List.of(90), expiryDays(rules(Synth.overridden()), BucketLayout.QUOTAS));
    }

    @Test
    void dueMarkersCleanupNeverReachedGoAfterThreeDays() {
        assertEquals(List.of(3), expiryDays(rules(Synth.jvm()), BucketLayout.DUE));
    }

    @Test
    void corsLetsBrowsersPostUploadFormsAndGetOutputs() {
        Synth.jvm()
                .template()
                .hasResourceProperties(
                        "AWS::S3::Bucket",
                        Map.of(
                                "CorsConfiguration",
                                Map.of(
                                        "CorsRules",
                                        List.of(Match.objectLike(Map.of(
                                                "AllowedMethods", List.of("POST", "GET"),
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
        return bucket(Synth.jvm());
    }

    private static Map<String, Object> bucket(Synth.Synthesized s) {
        return Json.map(s.resources().get(Synth.logicalIdOfType(s, "AWS::S3::Bucket")));
    }

    private static List<Object> rules(Synth.Synthesized s) {
        return Json.list(Json.path(bucket(s), "Properties", "LifecycleConfiguration", "Rules"));
    }

    /** The expiry days of the enabled rules on exactly this prefix. */
    private static List<Integer> expiryDays(List<Object> rules, String prefix) {
        return rules.stream()
                .map(Json::map)
                .filter(r -> prefix.equals(r.get("Prefix")))
                .filter(r -> "Enabled".equals(r.get("Status")))
                .map(r -> ((Number) r.get("ExpirationInDays")).intValue())
                .toList();
    }
}
