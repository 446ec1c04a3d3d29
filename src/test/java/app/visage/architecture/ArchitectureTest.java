package app.visage.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.visage.api.Route;
import app.visage.jobs.model.BucketLayout;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import io.quarkus.funqy.Funq;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The folder tree is the architecture, and these rules keep it so, over every package:
 *
 * <ul>
 *   <li>the core: {@code jobs.model} (records and the state machine), {@code jobs.port}, {@code jobs.usecase},
 *       {@code jobs.view} (the job's public view, built from data), and {@code idempotency};
 *   <li>inbound adapters: {@code functions} (the only {@code @Funq} entry points), {@code api}, {@code auth},
 *       and local mode ({@code local}, never shipped);
 *   <li>outbound adapters: {@code storage}, {@code queue} (the SQS work queue), each {@code providers.*},
 *       {@code webhooks} (the client-webhook sender), {@code metrics} (EMF lines);
 *   <li>libraries any layer may use: {@code errors}, {@code json}, {@code logs}, {@code config}, {@code images}
 *       (native-safe parsers), {@code egress} (outbound HTTP under the address rules), {@code messages} (the work
 *       message, which the queue and the due-work index write and the worker reads).
 * </ul>
 *
 * Each rule is shown failing on a deliberate violation ({@link EachRuleCanFail}); the violations are test classes
 * in the packages they break, imported only by those tests.
 */
class ArchitectureTest {
    static final String[] OUTBOUND = {
        "app.visage.storage..",
        "app.visage.queue..",
        "app.visage.providers..",
        "app.visage.webhooks..",
        "app.visage.metrics.."
    };
    static final String[] INBOUND = {
        "app.visage.functions..", "app.visage.api..", "app.visage.auth..", "app.visage.local.."
    };

    static final ArchRule MODEL_IS_PURE = classes()
            .that()
            .resideInAPackage("app.visage.jobs.model..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "java..",
                    "app.visage.jobs.model..",
                    "app.visage.errors..",
                    // Value types of a photo's header, and the metadata stripping a received photo gets.
                    "app.visage.images..",
                    // Annotations that name the wire values (@JsonValue, @JsonCreator) and keep records for native
                    // reflection; and Params.validate's JsonNode. docs/architecture.md says what moving them takes.
                    "com.fasterxml.jackson.annotation..",
                    "com.fasterxml.jackson.databind..",
                    "io.quarkus.runtime.annotations..")
            .because("the model is records and pure transitions: no I/O, no framework, no adapter");

    static final ArchRule PORTS_SPEAK_THE_MODEL = classes()
            .that()
            .resideInAPackage("app.visage.jobs.port..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "app.visage.jobs.model..", "app.visage.jobs.port..", "app.visage.errors..")
            .because("a port is what the use cases need from the world, in the model's words");

    static final ArchRule CORE_REACHES_NO_ADAPTER = noClasses()
            .that()
            .resideInAnyPackage("app.visage.jobs..", "app.visage.idempotency..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(concat(OUTBOUND, INBOUND, new String[] {
                "app.visage.egress..", "software.amazon.awssdk..", "com.amazonaws.."
            }))
            .because("use cases call the world through ports; adapters implement them");

    static final ArchRule OUTBOUND_ADAPTERS_STAND_ALONE = SlicesRuleDefinition.slices()
            .matching("app.visage.(storage|queue|providers.*|webhooks|metrics)..")
            .should()
            .notDependOnEachOther()
            .because("each adapter implements ports of the core, and nothing of another adapter");

    static final ArchRule OUTBOUND_ADAPTERS_NEVER_REACH_INBOUND = noClasses()
            .that()
            .resideInAnyPackage(OUTBOUND)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(INBOUND);

    static final ArchRule INBOUND_ADAPTERS_NEVER_REACH_OUTBOUND = noClasses()
            .that()
            .resideInAnyPackage(INBOUND)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(concat(OUTBOUND, new String[] {"software.amazon.awssdk.."}))
            .because("an entry point decodes its event, calls one use case and encodes the answer");

    static final ArchRule FUNQ_ONLY_IN_FUNCTIONS = methods()
            .that()
            .areAnnotatedWith(Funq.class)
            .should()
            .beDeclaredInClassesThat()
            .resideInAPackage("app.visage.functions");

    /**
     * submit, status and webhook build as native executables without AWT or ONNX Runtime: those live with the
     * local engine, which the native build leaves out, and only its one bean reaches the engine.
     */
    static final ArchRule AWT_AND_ONNX_ONLY_IN_THE_ENGINE = noClasses()
            .that()
            .resideOutsideOfPackage("app.visage.providers.local.engine..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.awt..", "javax.imageio..", "ai.onnxruntime..");

    static final ArchRule THE_ENGINE_ONLY_THROUGH_ITS_BEAN = noClasses()
            .that()
            .resideOutsideOfPackage("app.visage.providers.local.engine..")
            .and()
            .doNotHaveFullyQualifiedName("app.visage.providers.local.InProcessEngine")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("app.visage.providers.local.engine..");

    static final ArchRule IMAGES_IS_A_LEAF = noClasses()
            .that()
            .resideInAPackage("app.visage.images..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(concat(OUTBOUND, INBOUND, new String[] {
                "app.visage.jobs..", "app.visage.egress..", "java.awt..", "javax.imageio.."
            }));

    /** Classes of the shipped artifact: compiled from src/main (local mode and tests are compiled elsewhere). */
    static final DescribedPredicate<JavaClass> SHIPPED = DescribedPredicate.describe(
            "are shipped",
            c -> c.getSource()
                    .map(s -> !s.getUri().toString().contains("/test-classes/"))
                    .orElse(false));

    static ArchRule nothingShippedReachesLocalMode(DescribedPredicate<JavaClass> shipped) {
        return noClasses()
                .that(shipped)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("app.visage.local..", "org.gaul..");
    }

    /** infra/ compiles these files of the app as they are, with nothing but the JDK beside them. */
    static ArchRule jdkOnly(Class<?>... compiledByInfra) {
        return classes()
                .that()
                .belongToAnyOf(compiledByInfra)
                .should()
                .onlyDependOnClassesThat(DescribedPredicate.describe("are the JDK's or their own", (JavaClass c) -> {
                    JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
                    return base.getPackageName().startsWith("java.")
                            || Arrays.stream(compiledByInfra)
                                    .anyMatch(k -> base.getName().startsWith(k.getName()));
                }));
    }

    private static JavaClasses main;
    /** Main and test classes: local mode is compiled with the tests in the Lambda build. */
    private static JavaClasses everything;

    @BeforeAll
    static void importClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("app.visage");
        everything = new ClassFileImporter().importPackages("app.visage");
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }

    @Test
    void theModelIsPure() {
        MODEL_IS_PURE.check(main);
    }

    @Test
    void portsSpeakTheModel() {
        PORTS_SPEAK_THE_MODEL.check(main);
    }

    @Test
    void theCoreReachesNoAdapter() {
        CORE_REACHES_NO_ADAPTER.check(main);
    }

    @Test
    void outboundAdaptersStandAloneAndNeverReachInbound() {
        OUTBOUND_ADAPTERS_STAND_ALONE.check(main);
        OUTBOUND_ADAPTERS_NEVER_REACH_INBOUND.check(main);
    }

    @Test
    void inboundAdaptersNeverReachOutbound() {
        INBOUND_ADAPTERS_NEVER_REACH_OUTBOUND.check(main);
    }

    @Test
    void onlyFunctionsAreFunqyEntryPoints() {
        FUNQ_ONLY_IN_FUNCTIONS.check(main);
    }

    @Test
    void awtAndOnnxRuntimeLiveWithTheEngineReachedOnlyThroughItsBean() {
        AWT_AND_ONNX_ONLY_IN_THE_ENGINE.check(main);
        THE_ENGINE_ONLY_THROUGH_ITS_BEAN.check(main);
    }

    @Test
    void imagesIsALeafLibrary() {
        IMAGES_IS_A_LEAF.check(main);
    }

    @Test
    void nothingShippedDependsOnLocalMode() {
        nothingShippedReachesLocalMode(SHIPPED).check(everything);
    }

    @Test
    void theRouteTableAndTheBucketLayoutThatTheDeploymentCompilesNeedTheJdkAlone() {
        jdkOnly(Route.class, BucketLayout.class).check(main);
    }

    /** Each rule above, on a class that breaks it. */
    @Nested
    class EachRuleCanFail {
        /** The violations are package-private test classes, named here and loaded by name. */
        private void fails(ArchRule rule, String... violation) throws ClassNotFoundException {
            Class<?>[] loaded = new Class<?>[violation.length];
            for (int i = 0; i < violation.length; i++) {
                loaded[i] = Class.forName(violation[i]);
            }
            JavaClasses classes = new ClassFileImporter().importClasses(loaded);
            assertThatThrownBy(() -> rule.check(classes))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(violation[0]);
        }

        @Test
        void theModelReachingStorage() throws ClassNotFoundException {
            fails(MODEL_IS_PURE, "app.visage.jobs.model.ViolationModelReachingStorage");
        }

        @Test
        void aPortReachingAUseCase() throws ClassNotFoundException {
            fails(PORTS_SPEAK_THE_MODEL, "app.visage.jobs.port.ViolationPortReachingAUseCase");
        }

        @Test
        void aUseCaseReachingTheAwsSdk() throws ClassNotFoundException {
            fails(CORE_REACHES_NO_ADAPTER, "app.visage.jobs.usecase.ViolationUseCaseReachingTheAwsSdk");
        }

        @Test
        void storageReachingAProvider() throws ClassNotFoundException {
            fails(
                    OUTBOUND_ADAPTERS_STAND_ALONE,
                    "app.visage.storage.ViolationStorageReachingAProvider",
                    "app.visage.providers.fashn.FashnProvider");
        }

        @Test
        void anOutboundAdapterReachingTheApi() throws ClassNotFoundException {
            fails(OUTBOUND_ADAPTERS_NEVER_REACH_INBOUND, "app.visage.webhooks.ViolationSenderReachingTheApi");
        }

        @Test
        void aFunctionReachingStorage() throws ClassNotFoundException {
            fails(INBOUND_ADAPTERS_NEVER_REACH_OUTBOUND, "app.visage.functions.ViolationFunctionReachingStorage");
        }

        @Test
        void aFunqEntryPointOutsideFunctions() throws ClassNotFoundException {
            fails(FUNQ_ONLY_IN_FUNCTIONS, "app.visage.api.ViolationFunqOutsideFunctions");
        }

        @Test
        void awtOutsideTheEngine() throws ClassNotFoundException {
            fails(AWT_AND_ONNX_ONLY_IN_THE_ENGINE, "app.visage.images.ViolationImagesUsingAwt");
            fails(IMAGES_IS_A_LEAF, "app.visage.images.ViolationImagesUsingAwt");
        }

        @Test
        void theEngineReachedAroundItsBean() throws ClassNotFoundException {
            fails(THE_ENGINE_ONLY_THROUGH_ITS_BEAN, "app.visage.api.ViolationReachingTheEngine");
        }

        @Test
        void shippedCodeReachingLocalMode() throws ClassNotFoundException {
            fails(
                    nothingShippedReachesLocalMode(DescribedPredicate.describe(
                            "are the violation", c -> c.getSimpleName().startsWith("Violation"))),
                    "app.visage.api.ViolationReachingLocalMode");
        }

        @Test
        void aFileInfraCompilesReachingBeyondTheJdk() throws ClassNotFoundException {
            fails(
                    jdkOnly(Class.forName("app.visage.api.ViolationReachingLocalMode")),
                    "app.visage.api.ViolationReachingLocalMode");
        }
    }
}
