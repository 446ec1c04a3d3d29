package app.visage.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import app.visage.storage.StoredIdempotencyRecord;
import app.visage.storage.StoredJob;
import app.visage.storage.StoredSlot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.funqy.Funq;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the native build steps (src/build/native-build-steps.sh, run in verify) hand to native-image:
 * every class the functions serialize is registered for reflection, the local engine is not built
 * in, and nothing of local mode is on board. The classes to expect are found by walking the types
 * from each {@code @Funq} method's parameters and results, and from the stored records (job, idempotency,
 * slot documents), so a new field of a new type is checked without anyone listing it.
 */
class NativeBuildIT {
    private static Path runner;
    private static Set<String> registered;

    @BeforeAll
    static void readTheGeneratedConfiguration() throws IOException {
        assumeFalse(Boolean.getBoolean("skipNativeBuild"), "native build steps skipped (-DskipNativeBuild)");
        runner = NativeImageSources.runnerJar();
        try (ZipFile jar = new ZipFile(runner.toFile())) {
            JsonNode config = new ObjectMapper()
                    .readTree(jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json")));
            registered = new TreeSet<>();
            config.forEach(entry -> registered.add(entry.get("name").asText()));
        }
    }

    @Test
    void everyClassTheFunctionsSerializeIsRegisteredForReflection() throws ClassNotFoundException {
        Set<Class<?>> serialized = new LinkedHashSet<>();
        for (Class<?> stored : List.of(StoredJob.class, StoredIdempotencyRecord.class, StoredSlot.class)) {
            walk(stored, serialized);
        }
        for (String export : LambdaRuntimes.EXPORTS) {
            for (Method method :
                    Class.forName(LambdaRuntimes.functionClass(export)).getMethods()) {
                if (method.isAnnotationPresent(Funq.class)) {
                    for (Type parameter : method.getGenericParameterTypes()) {
                        walk(parameter, serialized);
                    }
                    walk(method.getGenericReturnType(), serialized);
                }
            }
        }
        assertThat(serialized)
                .extracting(Class::getName)
                .contains(
                        "app.visage.storage.StoredJob",
                        "app.visage.storage.StoredJob$DispatchDoc",
                        "app.visage.storage.StoredJob$AttemptDoc",
                        "app.visage.storage.StoredIdempotencyRecord",
                        "app.visage.storage.StoredSlot",
                        "app.visage.functions.events.S3EventNotification$Record",
                        "app.visage.functions.events.SqsEvent$Attributes",
                        "app.visage.functions.events.SqsBatchResponse$ItemFailure",
                        "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent$RequestContext$Http");
        List<String> missing = serialized.stream()
                .map(Class::getName)
                .filter(n -> !registered.contains(n))
                .toList();
        assertThat(missing)
                .as("serialized classes missing from reflect-config.json")
                .isEmpty();
    }

    /**
     * What the native Lambda runtime itself serialises: its error body, for an invocation or init error. Without it
     * the native executable cannot report an error and stops answering (NativeExecutableIT found it).
     */
    @Test
    void theLambdaRuntimesErrorBodyIsRegisteredForReflection() {
        assertThat(registered).contains("io.quarkus.amazon.lambda.runtime.FunctionError");
    }

    @Test
    void theLocalEngineIsNotBuiltInAndLocalModeIsNotOnBoard() throws IOException {
        List<String> entries = entries(runner);
        assertThat(entries)
                .contains("app/visage/providers/local/LocalProvider_Bean.class")
                .doesNotContain("app/visage/providers/local/InProcessEngine_Bean.class")
                .noneMatch(e -> e.startsWith("app/visage/local/"));
        try (Stream<Path> libs = Files.list(runner.getParent().resolve("lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.contains("s3proxy") || n.contains("elasticmq"));
        }
        assertThat(registered).noneMatch(n -> n.startsWith("ai.onnxruntime") || n.startsWith("java.awt"));
    }

    /** Adds the Visage and AWS event types reachable from {@code type}: record components, fields, getters. */
    private static void walk(Type type, Set<Class<?>> found) {
        if (type instanceof ParameterizedType parameterized) {
            walk(parameterized.getRawType(), found);
            for (Type argument : parameterized.getActualTypeArguments()) {
                walk(argument, found);
            }
            return;
        }
        if (!(type instanceof Class<?> c)) {
            return;
        }
        if (c.isArray()) {
            walk(c.getComponentType(), found);
            return;
        }
        boolean ours = c.getName().startsWith("app.visage.");
        boolean awsEvent = c.getName().startsWith("com.amazonaws.services.lambda.runtime.events.");
        if (!(ours || awsEvent) || !found.add(c)) {
            return;
        }
        if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                walk(component.getGenericType(), found);
            }
        } else if (ours) {
            for (var field : c.getFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    walk(field.getGenericType(), found);
                }
            }
        } else {
            for (Method getter : c.getMethods()) {
                if (getter.getParameterCount() == 0
                        && getter.getName().matches("(get|is)[A-Z].*")
                        && getter.getDeclaringClass() != Object.class) {
                    walk(getter.getGenericReturnType(), found);
                }
            }
        }
    }

    private static List<String> entries(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return new ArrayList<>(Collections.list(zip.entries()).stream()
                    .map(ZipEntry::getName)
                    .toList());
        }
    }
}
