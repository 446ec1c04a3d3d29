package app.visage.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The Lambda artifact as built: the six functions in, local mode, its console and its embedded S3 and SQS out, its
 * checksum beside it, and none of the single-function scripts the Lambda extension would leave.
 */
class LambdaArtifactIT {
    private static final Path TARGET = Path.of("target");

    private static List<String> entries() throws IOException {
        try (ZipFile zip = new ZipFile(TARGET.resolve("function.zip").toFile())) {
            return Collections.list(zip.entries()).stream()
                    .map(ZipEntry::getName)
                    .toList();
        }
    }

    @Test
    void carriesTheFunctionsAndTheModels() throws IOException {
        List<String> entries = entries();
        for (String export : LambdaRuntimes.EXPORTS) {
            assertThat(entries).contains(LambdaRuntimes.functionClass(export).replace('.', '/') + ".class");
        }
        assertThat(entries)
                .contains(
                        "models/blazeface/face_detection_front_128x128_barracuda.onnx",
                        "models/blazeface/face_detection_back_256x256_barracuda.onnx");
    }

    @Test
    void leavesLocalModeOut() throws IOException {
        assertThat(entries())
                .noneMatch(e -> e.startsWith("app/visage/local/"))
                .noneMatch(e -> e.startsWith("console/")) // the web console (src/local/resources)
                // The OpenAPI document is local mode's and the tests' (docs/openapi.json), not the deployment's.
                .noneMatch(e -> e.endsWith("openapi.json"))
                .noneMatch(e -> e.contains("s3proxy"))
                .noneMatch(e -> e.contains("elasticmq") || e.contains("pekko"))
                .noneMatch(e -> e.contains("jakarta.servlet"));
    }

    /** sha256sum's format, so {@code sha256sum -c function.zip.sha256} in target/ checks the zip. */
    @Test
    void writesTheZipsSha256BesideIt() throws IOException, NoSuchAlgorithmException {
        String line = Files.readString(TARGET.resolve("function.zip.sha256"), StandardCharsets.US_ASCII);
        String actual = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(TARGET.resolve("function.zip"))));
        assertThat(line).isEqualTo(actual + "  function.zip\n");
    }

    /**
     * Quarkus's generated SAM templates and manage.sh deploy one function without QUARKUS_FUNQY_EXPORT, which
     * refuses to start: the package leaves none (the CDK app's template is the one to use).
     */
    @Test
    void leavesNoSingleFunctionTemplateOrScript() {
        for (String generated : List.of("sam.jvm.yaml", "sam.native.yaml", "manage.sh", "bootstrap-example.sh")) {
            assertThat(TARGET.resolve(generated)).doesNotExist();
        }
    }
}
