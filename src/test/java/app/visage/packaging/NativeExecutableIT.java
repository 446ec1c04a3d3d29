package app.visage.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The native deployment ({@code -c runtime=native}) run as Lambda runs it: {@code submit}, {@code status} and
 * {@code webhook} are the {@code bootstrap} of {@code target/native/function.zip} (the {@code provided.al2023}
 * runtime starts the executable itself), {@code upload}, {@code worker} and {@code cleanup} the JVM artifact under
 * the runtime interface client. They answer every {@code events/} sample with what {@link LambdaFunctionsContract}
 * asserts of the JVM artifact; a native submit leaves a local job to the JVM worker, which the contract then runs.
 *
 * <p>Runs when {@code GRAALVM_HOME} is set (src/build/native-build-steps.sh then builds the executable in verify);
 * otherwise it is skipped and says so. {@code VISAGE_NATIVE_LIBRARY_PATH}, when set, is the executable's
 * {@code LD_LIBRARY_PATH}: a stand-in GraalVM (docs/native.md) links the JDK's libraries dynamically.
 */
class NativeExecutableIT extends LambdaFunctionsContract {
    static final Set<String> NATIVE_EXPORTS = Set.of("submit", "status", "webhook");

    private LambdaRuntimes.TaskRoot jvm;
    private Path nativeTask;

    @Override
    void prepare(Path work) throws Exception {
        assumeFalse(Boolean.getBoolean("skipNativeBuild"), "native build steps skipped (-DskipNativeBuild)");
        String graalvm = System.getenv("GRAALVM_HOME");
        if (graalvm == null || graalvm.isBlank()) {
            System.out.println(
                    "NativeExecutableIT skipped: GRAALVM_HOME is not set, so no native executable was built");
        }
        assumeTrue(graalvm != null && !graalvm.isBlank(), "GRAALVM_HOME is not set: no native executable to test");
        Path nativeZip = Path.of("target", "native", "function.zip");
        assertThat(nativeZip)
                .as("target/native/function.zip, built by src/build/native-build-steps.sh with GRAALVM_HOME set")
                .isRegularFile();
        jvm = LambdaRuntimes.prepare(Path.of("target", "function.zip"), work); // empties work first
        nativeTask = LambdaRuntimes.prepareNative(nativeZip, work.resolve("native"));
    }

    @Override
    LambdaRuntimes.Child start(String export, Path log, Map<String, String> extraEnv) throws IOException {
        if (NATIVE_EXPORTS.contains(export)) {
            return LambdaRuntimes.Child.startNative(
                    export, nativeTask, s3, log, MEMORY_MB, extraEnv, System.getenv("VISAGE_NATIVE_LIBRARY_PATH"));
        }
        return LambdaRuntimes.Child.start(export, jvm, s3, log, MEMORY_MB, extraEnv);
    }

    @Override
    boolean submitRunsTheEngine() {
        return false;
    }

    @Override
    String workDirectory() {
        return "native-it";
    }
}
