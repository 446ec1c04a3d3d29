package app.visage.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The Lambda artifact as built: the six functions in, local mode, its console and its embedded S3 and SQS out. */
class LambdaArtifactIT {

    private static List<String> entries() throws IOException {
        try (ZipFile zip = new ZipFile(Path.of("target", "function.zip").toFile())) {
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
}
