package app.visage.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The packaged artifact run as AWS's Java runtime runs it. {@code target/function.zip} is unpacked as the task root
 * ({@code /var/task}); each of the six functions gets its own JVM running AWS's runtime interface client
 * ({@code AWSLambda}, the RIC) with the Lambda's handler, environment and {@code QUARKUS_FUNQY_EXPORT}.
 *
 * <p>As in AWS, the JVM's class path holds only the runtime (the RIC, aws-lambda-java-core,
 * aws-lambda-java-serialization, utils-lite, copied to one directory as in {@code /var/runtime/lib}), and the RIC
 * loads the function from its working directory ({@code user.dir}, the task root) and the task root's
 * {@code lib/*.jar} in its own class loader. So the artifact is tested with the class loading it gets in AWS, not
 * with everything on one class path.
 */
class RuntimeInterfaceClientIT extends LambdaFunctionsContract {
    private LambdaRuntimes.TaskRoot root;

    @Override
    void prepare(Path work) throws Exception {
        Path zip = Path.of("target", "function.zip");
        assertThat(zip).as("target/function.zip, built by the package phase").isRegularFile();
        root = LambdaRuntimes.prepare(zip, work);
    }

    @Override
    LambdaRuntimes.Child start(String export, Path log, Map<String, String> extraEnv) throws IOException {
        return LambdaRuntimes.Child.start(export, root, s3, log, MEMORY_MB, extraEnv);
    }

    @Override
    boolean submitRunsTheEngine() {
        return true;
    }

    @Override
    String workDirectory() {
        return "ric-it";
    }
}
