package app.visage.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * The CDK app. Run by the aws-cdk CLI through cdk.json ({@code exec:java}; the CLI passes its
 * context and output directory in the environment), or by the infra build with
 * {@code key=value} arguments: {@code outdir=…} and context values ({@code runtime=native}, …),
 * which {@code -c} on the CLI would override.
 */
public final class VisageApp {

    private VisageApp() {}

    public static void main(String[] args) {
        Map<String, Object> context = new LinkedHashMap<>();
        String outdir = null;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "arguments are key=value (outdir=… or a context value), not: " + arg);
            }
            String key = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            if (key.equals("outdir")) {
                outdir = value;
            } else {
                context.put(key, value);
            }
        }
        AppProps.Builder props = AppProps.builder().context(context);
        if (outdir != null) {
            props.outdir(outdir);
        }
        App app = new App(props.build());
        new VisageStack(
                app,
                DeploySettings.context(app.getNode(), "stackName", "Visage"),
                VisageProps.fromContext(app.getNode(), infraDir()));
        app.synth();
    }

    /** Where relative artifact paths start: infra/ (the build says so; the CLI runs the app from there). */
    static Path infraDir() {
        String dir = System.getProperty("visage.infra.dir");
        return (dir == null || dir.isBlank() ? Path.of("") : Path.of(dir))
                .toAbsolutePath()
                .normalize();
    }
}
