package app.visage.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import app.visage.api.Route;
import app.visage.jobs.model.BucketLayout;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.funqy.Funq;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The folder tree is the architecture; these rules keep it so. */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("app.visage");
    }

    @Test
    void theJobCoreDependsOnNoAdapter() {
        noClasses()
                .that()
                .resideInAPackage("app.visage.jobs..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "app.visage.functions..",
                        "app.visage.api..",
                        "app.visage.storage..",
                        "app.visage.providers..",
                        "app.visage.webhooks..",
                        "app.visage.local..",
                        "software.amazon.awssdk..",
                        "com.amazonaws..")
                .check(main);
    }

    /** infra/ compiles these two files of the app as they are, with nothing but the JDK beside them. */
    @Test
    void theRouteTableAndTheBucketLayoutThatTheDeploymentCompilesNeedTheJdkAlone() {
        classes()
                .that()
                .belongToAnyOf(Route.class, BucketLayout.class)
                .should()
                .onlyDependOnClassesThat(DescribedPredicate.describe("are the JDK's or their own", (JavaClass c) -> {
                    JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
                    return base.getPackageName().startsWith("java.")
                            || base.getName().startsWith(Route.class.getName())
                            || base.getName().startsWith(BucketLayout.class.getName());
                }))
                .check(main);
    }

    @Test
    void functionsStayThinAndReachNoAdapterDirectly() {
        noClasses()
                .that()
                .resideInAPackage("app.visage.functions..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "app.visage.storage..",
                        "app.visage.providers..",
                        "app.visage.egress..",
                        "software.amazon.awssdk..")
                .check(main);
    }

    @Test
    void onlyFunctionsAreFunqyEntryPoints() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods()
                .that()
                .areAnnotatedWith(Funq.class)
                .should()
                .beDeclaredInClassesThat()
                .resideInAPackage("app.visage.functions")
                .check(main);
    }

    @Test
    void providersAndStorageDoNotReachBackIntoTheApi() {
        noClasses()
                .that()
                .resideInAnyPackage("app.visage.providers..", "app.visage.storage..", "app.visage.images..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "app.visage.functions..", "app.visage.api..", "app.visage.webhooks..", "app.visage.local..")
                .check(main);
    }

    @Test
    void eachProviderAdapterStandsAlone() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("app.visage.providers.(*)..")
                .should()
                .notDependOnEachOther()
                .check(main);
    }

    /**
     * submit, status and webhook build as native executables without AWT or ONNX Runtime: those are
     * reached only through the engine, and the engine only through the one bean the native build leaves out.
     */
    @Test
    void awtAndOnnxRuntimeAreReachedOnlyThroughTheLocalEngineBean() {
        noClasses()
                .that()
                .resideOutsideOfPackage("app.visage.providers.local.engine..")
                .and()
                .doNotHaveFullyQualifiedName("app.visage.providers.local.engine.ImageDecoder")
                .and()
                .doNotHaveFullyQualifiedName("app.visage.providers.local.engine.ImageEncoder")
                .and()
                .doNotHaveFullyQualifiedName("app.visage.providers.local.engine.Orientation")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.awt..", "javax.imageio..", "ai.onnxruntime..")
                .check(main);
        noClasses()
                .that()
                .resideOutsideOfPackage("app.visage.providers.local.engine..")
                .and()
                .doNotHaveFullyQualifiedName("app.visage.providers.local.InProcessEngine")
                .and()
                .doNotHaveFullyQualifiedName("app.visage.providers.local.engine.ImageEncoder")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("app.visage.providers.local.engine..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("app.visage.providers.local.engine.ImageDecoder")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("app.visage.providers.local.engine.ImageEncoder")
                .check(main);
    }

    @Test
    void imagesIsALeafLibrary() {
        classes()
                .that()
                .resideInAPackage("app.visage.images..")
                .should()
                .onlyDependOnClassesThat()
                .resideOutsideOfPackages(
                        "app.visage.jobs..",
                        "app.visage.api..",
                        "app.visage.storage..",
                        "app.visage.providers..",
                        "app.visage.functions..")
                .check(main);
    }

    @Test
    void nothingShippedDependsOnLocalMode() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("app.visage.local..")
                .check(main);
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.gaul..")
                .check(main);
    }
}
