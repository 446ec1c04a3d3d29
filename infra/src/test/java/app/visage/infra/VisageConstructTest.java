package app.visage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.ServerlessChecks;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;

/** {@link Visage} as a construct: a bucket of one's own, arm64, a custom domain, and inside another app's stack. */
class VisageConstructTest {

    /**
     * The repository's stack holds its Visage under the id {@code Default}, which logical ids leave out: the ids
     * are those of the stack before the construct (as its template had them), so an update replaces nothing.
     */
    @Test
    void theRepositorysStackKeepsItsLogicalIds() {
        Set<String> ids = Synth.jvm().resources().keySet();
        assertTrue(
                ids.containsAll(List.of(
                        "Bucket83908E77",
                        "SecretsA3BCC2E9",
                        "Submit5FB37002",
                        "Status274336EC",
                        "WebhookB701416B",
                        "Upload51C4D210",
                        "Worker11F36D0F",
                        "CleanupD4E4842E")),
                ids.toString());
    }

    @Test
    void aBucketOfOnesOwnIsUsedNotMade() {
        Synth.Synthesized s = Synth.ownBucket();
        s.template().resourceCountIs("AWS::S3::Bucket", 0);
        String objects = "arn:${AWS::Partition}:s3:::" + Synth.BUCKET_NAME + "/";
        for (String export : FunctionsTest.EXPORTS) {
            assertEquals(
                    Synth.BUCKET_NAME,
                    Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))))
                            .get("VISAGE_BUCKET"),
                    export);
            String role = IamScopingTest.roleOf(s, export);
            List<IamScopingTest.Statement> mine = IamScopingTest.statements(s).stream()
                    .filter(st -> st.owner().equals(role))
                    .toList();
            assertTrue(
                    mine.stream().anyMatch(st -> st.resources().stream().anyMatch(r -> r.startsWith(objects))),
                    export + ": " + mine);
            // Its objects are under the given key: the function may use that key, and only it.
            List<IamScopingTest.Statement> kms = mine.stream()
                    .filter(st -> st.actions().stream().anyMatch(a -> a.startsWith("kms:")))
                    .toList();
            assertEquals(1, kms.size(), export + ": " + kms);
            assertEquals(List.of(Synth.KMS_KEY_ARN), kms.getFirst().resources(), export);
            assertTrue(kms.getFirst().actions().containsAll(List.of("kms:Decrypt", "kms:GenerateDataKey*")));
        }
        // The upload notification is set on the given bucket.
        s.template()
                .hasResourceProperties(
                        "Custom::S3BucketNotifications", Match.objectLike(Map.of("BucketName", Synth.BUCKET_NAME)));
    }

    @Test
    void theStacksOwnBucketTakesTheGivenKey() {
        Synth.Synthesized s = Synth.synth(Map.of("apiKeys", Synth.API_KEYS, "kmsKeyArn", Synth.KMS_KEY_ARN));
        s.template()
                .hasResourceProperties(
                        "AWS::S3::Bucket",
                        Match.objectLike(Map.of(
                                "BucketEncryption",
                                Map.of(
                                        "ServerSideEncryptionConfiguration",
                                        List.of(Map.of(
                                                "BucketKeyEnabled",
                                                true,
                                                "ServerSideEncryptionByDefault",
                                                Map.of(
                                                        "KMSMasterKeyID",
                                                        Synth.KMS_KEY_ARN,
                                                        "SSEAlgorithm",
                                                        "aws:kms")))))));
    }

    @Test
    void arm64OneMemorySizeAndACustomDomain() {
        Synth.Synthesized s = Synth.arm64Variant();
        for (String export : FunctionsTest.EXPORTS) {
            Map<String, Object> props = FunctionsTest.properties(s, export);
            assertEquals(List.of("arm64"), props.get("Architectures"), export);
            assertEquals(2048, ((Number) props.get("MemorySize")).intValue(), export);
            assertEquals(
                    "https://" + Synth.DOMAIN_NAME,
                    Synth.env(Json.map(s.resources().get(Synth.functionId(s, export))))
                            .get("VISAGE_PUBLIC_BASE_URL"),
                    export);
        }
        s.template()
                .hasResourceProperties(
                        "AWS::ApiGatewayV2::DomainName",
                        Match.objectLike(Map.of(
                                "DomainName",
                                Synth.DOMAIN_NAME,
                                "DomainNameConfigurations",
                                List.of(Match.objectLike(Map.of("CertificateArn", Synth.CERTIFICATE_ARN))))));
        s.template().resourceCountIs("AWS::ApiGatewayV2::ApiMapping", 1);
        s.template().hasOutput("*", Match.objectLike(Map.of("Value", "https://" + Synth.DOMAIN_NAME)));
    }

    @Test
    void badConstructValuesAreRefused() {
        Map<String, String> bad = Map.of(
                "architecture", "arm",
                "memorySize", "256",
                "bucketName", "Not_A_Bucket",
                "kmsKeyArn", "alias/visage",
                "domainName", "visage.example.com");
        bad.forEach((key, value) -> {
            var e = assertThrows(
                    IllegalArgumentException.class,
                    () -> Synth.synth(Map.of("apiKeys", Synth.API_KEYS, key, value)),
                    key);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        });
    }

    /** A native bootstrap runs only on the architecture it was built for: synth reads its ELF header. */
    @Test
    void aNativeZipBuiltForX86IsRefusedOnArm64() {
        java.nio.file.Path x86 = Synth.PLACEHOLDERS.resolve("x86-native/function.zip");
        byte[] elf = new byte[64];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[18] = 0x3e; // EM_X86_64, little-endian
        Synth.zip(x86, "bootstrap", new String(elf, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(java.util.Optional.of("x86_64"), DeploySettings.bootstrapArchitecture(x86));
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> Synth.synth(Map.of(
                        "apiKeys",
                        Synth.API_KEYS,
                        "runtime",
                        "native",
                        "nativeArtifact",
                        x86.toString(),
                        "architecture",
                        "arm64")));
        assertTrue(e.getMessage().contains("built for x86_64, not for context architecture arm64"), e.getMessage());
        // The same zip on x86_64 synthesizes.
        Synth.synth(Map.of("apiKeys", Synth.API_KEYS, "runtime", "native", "nativeArtifact", x86.toString()))
                .template()
                .resourceCountIs("AWS::Lambda::Function", 7);
    }

    /**
     * Two Visages in one stack of another app, one on the app's own bucket: ids do not clash, each has its own API,
     * queues and functions, and both pass cdk-nag's packs with the repository's suppressions.
     */
    @Test
    void twoInstancesLiveInAnotherAppsStack() {
        App app = new App();
        Stack host = new Stack(app, "Host");
        Bucket photos = Bucket.Builder.create(host, "Photos")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .lifecycleRules(Visage.lifecycleRules(30, Map.of()))
                .serverAccessLogsPrefix("access/")
                .build();
        Visage first = new Visage(host, "Avatars", props().build());
        Visage second = new Visage(
                host,
                "Headshots",
                props().bucket(photos).architecture(Architecture.ARM_64).build());
        NagFindings.suppress(host, first);
        NagFindings.suppress(host, second);
        Aspects.of(app).add(new AwsSolutionsChecks());
        Aspects.of(app).add(new ServerlessChecks());

        Template template = Template.fromStack(host);
        template.resourceCountIs("AWS::Lambda::Function", 12 + 1); // and the CDK's one notification handler
        template.resourceCountIs("AWS::ApiGatewayV2::Api", 2);
        template.resourceCountIs("AWS::S3::Bucket", 2); // the first's own, and the app's
        Set<String> buckets = new HashSet<>();
        for (Visage v : List.of(first, second)) {
            buckets.add(host.resolve(v.bucket().getBucketName()).toString());
        }
        assertEquals(2, buckets.size(), buckets.toString());
        Annotations annotations = Annotations.fromStack(host);
        List<String> findings = new java.util.ArrayList<>();
        annotations
                .findError("*", Match.anyValue())
                .forEach(m -> findings.add(m.getId() + ": " + m.getEntry().getData()));
        annotations
                .findWarning("*", Match.anyValue())
                .forEach(m -> findings.add(m.getId() + ": " + m.getEntry().getData()));
        assertEquals(List.of(), findings, String.join("\n", findings));
        assertFalse(first.publicBaseUrl().equals(second.publicBaseUrl()));
    }

    private static VisageProps.Builder props() {
        return VisageProps.builder()
                .jvmArtifact(Synth.jvmPlaceholder())
                .clientAuth(new ClientAuth.ApiKeys(Synth.API_KEYS));
    }
}
