package app.visage.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The floor of the Lambda start-up bench: a stream handler (as Funqy's is) that reads its event and
 * answers a constant, run under the runtime interface client exactly as the artifact is.
 */
public final class HelloHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write("\"hello\"".getBytes(StandardCharsets.UTF_8));
    }
}
