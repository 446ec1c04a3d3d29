package app.visage.functions;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The Lambda runtime's error body, which Quarkus's native poll loop writes with Jackson when a function throws (an
 * event that is not JSON) or its init fails (a client-facing function without keys). Nothing registers it for
 * reflection: the native executable then cannot report the error, its poll thread ends, and the function stops
 * answering (found by NativeExecutableIT; NativeBuildIT checks the registration in every build). Named as a string:
 * local mode compiles these sources without the Lambda runtime.
 */
@RegisterForReflection(classNames = "io.quarkus.amazon.lambda.runtime.FunctionError")
final class LambdaRuntimeReflection {
    private LambdaRuntimeReflection() {}
}
