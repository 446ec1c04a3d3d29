package app.visage.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.Timer;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a native build would freeze into the executable. Quarkus runs the static initialisers of application classes
 * at image build time, so state that must be fresh in every process (a random generator and its seed, a thread, the
 * clock, the environment, the machine's processors) may live in a static field, or be read by a static initialiser,
 * only in a class the build initialises at run time: those named by {@code --initialize-at-run-time} in
 * application.properties. GraalVM rejects some of these at build time (a {@code Random} in the image heap) and
 * silently builds others in (an environment variable read at build time); both are caught here, in every build,
 * without {@code native-image}.
 */
class NativeImageRulesTest {
    /** Types whose instances are a process's own. */
    static final List<Class<?>> PER_PROCESS_TYPES =
            List.of(java.util.Random.class, SplittableRandom.class, Thread.class, ExecutorService.class, Timer.class);

    /** Calls whose answer belongs to the process (or the moment) that makes them, by owner and method name. */
    static final Map<String, Set<String>> PER_PROCESS_CALLS = Map.of(
            "java.lang.System", Set.of("getenv", "currentTimeMillis", "nanoTime"),
            "java.lang.Runtime", Set.of("availableProcessors", "maxMemory", "totalMemory", "freeMemory"),
            "java.time.Instant", Set.of("now"),
            "java.time.Clock", Set.of("instant", "millis"),
            "java.util.UUID", Set.of("randomUUID"),
            "java.lang.ProcessHandle", Set.of("current"),
            "java.net.InetAddress", Set.of("getLocalHost"),
            "java.security.SecureRandom", Set.of("<init>", "getInstance", "getInstanceStrong"),
            "java.util.Random", Set.of("<init>"),
            "java.util.SplittableRandom", Set.of("<init>"));

    private static JavaClasses main;
    private static Set<String> initialisedAtRunTime;

    @BeforeAll
    static void importClasses() throws IOException {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("app.visage");
        initialisedAtRunTime = initialisedAtRunTime();
    }

    /** The classes application.properties hands to {@code --initialize-at-run-time}. */
    static Set<String> initialisedAtRunTime() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = NativeImageRulesTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        String args = properties.getProperty("quarkus.native.additional-build-args", "");
        return Arrays.stream(args.split("(?<!\\\\),"))
                .map(a -> a.replace("\\,", ","))
                .filter(a -> a.startsWith("--initialize-at-run-time="))
                .flatMap(a -> Arrays.stream(
                        a.substring("--initialize-at-run-time=".length()).split(",")))
                .collect(Collectors.toSet());
    }

    static ArchRule noPerProcessStateBuiltIn(Set<String> runTimeInitialised) {
        return ArchRuleDefinition.classes()
                .that(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are initialised at image build time",
                        (JavaClass c) -> !runTimeInitialised.contains(c.getName())))
                .should(new ArchCondition<JavaClass>("hold no per-process state in a static field or initialiser") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        for (JavaField field : item.getFields()) {
                            if (field.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.STATIC)
                                    && PER_PROCESS_TYPES.stream()
                                            .anyMatch(t -> field.getRawType().isAssignableTo(t))) {
                                events.add(SimpleConditionEvent.violated(
                                        field,
                                        item.getName() + "." + field.getName() + " is a static "
                                                + field.getRawType().getName()));
                            }
                        }
                        item.getStaticInitializer()
                                .ifPresent(init -> init.getCallsFromSelf().forEach(call -> {
                                    String owner = call.getTargetOwner().getName();
                                    if (PER_PROCESS_CALLS
                                            .getOrDefault(owner, Set.of())
                                            .contains(call.getName())) {
                                        events.add(SimpleConditionEvent.violated(
                                                call,
                                                item.getName() + "'s static initialiser calls " + owner + "."
                                                        + call.getName() + " " + call.getSourceCodeLocation()));
                                    }
                                }));
                    }
                })
                .because("a native image runs static initialisers at build time and keeps what they made")
                .allowEmptyShould(true);
    }

    @Test
    void onlyClassesInitialisedAtRunTimeHoldPerProcessState() {
        assertThat(initialisedAtRunTime)
                .as("the run-time initialised classes application.properties names")
                .contains("app.visage.jobs.model.Entropy");
        noPerProcessStateBuiltIn(initialisedAtRunTime).check(main);
    }

    @Test
    void theRuleFailsOnAStaticRandomAndOnAStaticInitialiserReadingTheEnvironment() {
        JavaClasses violations = new ClassFileImporter()
                .importClasses(ViolationStaticRandom.class, ViolationEnvironmentAtBuildTime.class);
        assertThatThrownBy(() -> noPerProcessStateBuiltIn(initialisedAtRunTime).check(violations))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ViolationStaticRandom.RANDOM is a static java.security.SecureRandom")
                .hasMessageContaining(
                        "ViolationEnvironmentAtBuildTime's static initialiser calls java.lang.System.getenv");
        // Named for run-time initialisation, the same classes pass.
        noPerProcessStateBuiltIn(
                        Set.of(ViolationStaticRandom.class.getName(), ViolationEnvironmentAtBuildTime.class.getName()))
                .check(violations);
    }

    /** A deliberate violation: a generator (and its seed) that a native build would share across processes. */
    static final class ViolationStaticRandom {
        static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    }

    /** A deliberate violation: the build machine's environment, read once when the image is built. */
    static final class ViolationEnvironmentAtBuildTime {
        static final String REGION = System.getenv("AWS_REGION");
    }
}
