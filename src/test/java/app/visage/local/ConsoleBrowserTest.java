package app.visage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web console end to end in headless Chromium: {@code src/test/node/console.spec.mjs} (playwright-core
 * driving Debian's chromium) drops a real photo on the console of this local mode, waits for the head shot and
 * checks the image shown is the job's output. Skipped, in one line, where chromium or the spec's npm packages
 * are not installed; {@code .ci/run} installs both and checks the screenshot this leaves was made.
 */
@QuarkusTest
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path NODE_DIR = Path.of("src", "test", "node");
    private static final Path SCREENSHOT = Path.of("target", "console", "console.png");
    private static final Path LOG = Path.of("target", "console", "console.spec.log");

    @Inject
    LocalHttpServer server;

    @Test
    void photoBecomesHeadShotShownInTheConsole() throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (apt-get install chromium)");
        }
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("playwright-core"))) {
            missing.add("playwright-core (npm install --no-save --no-package-lock in " + NODE_DIR + ")");
        }
        if (!missing.isEmpty()) {
            System.out.println("ConsoleBrowserTest skipped: no " + String.join(", no ", missing));
        }
        assumeTrue(missing.isEmpty(), "chromium or playwright-core not installed");
        Files.deleteIfExists(SCREENSHOT);
        Files.createDirectories(LOG.getParent());
        String url = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/";
        // Output to a file, not a pipe: a spec that hangs cannot hang this test past its time limit.
        Process node = new ProcessBuilder(
                        "node", NODE_DIR.resolve("console.spec.mjs").toString(), url, SCREENSHOT.toString())
                .redirectErrorStream(true)
                .redirectOutput(LOG.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        boolean ended = node.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            node.destroyForcibly().waitFor();
        }
        String output = Files.readString(LOG);
        System.out.print(output);
        assertThat(ended).as("node console.spec.mjs ended").isTrue();
        assertThat(node.exitValue())
                .as("node console.spec.mjs exit status:%n%s", output)
                .isZero();
        assertThat(SCREENSHOT).isRegularFile();
    }
}
