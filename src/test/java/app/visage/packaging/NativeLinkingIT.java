package app.visage.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import app.visage.packaging.linking.Reachability;
import app.visage.packaging.linking.Reachability.Result;
import app.visage.packaging.linking.Reachability.Unresolved;
import io.quarkus.funqy.Funq;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * native-image, with Quarkus's --link-at-build-time, refuses to build when a method it reaches references a type
 * that is not on the class path. There is no GraalVM here, so a reachability analysis of the native image sources
 * (left by src/build/native-build-steps.sh) stands in for it: see {@code linking/Reachability}.
 */
class NativeLinkingIT {
    private static Path runner;

    @BeforeAll
    static void findTheNativeImageSources() throws IOException {
        assumeFalse(Boolean.getBoolean("skipNativeBuild"), "native build steps skipped (-DskipNativeBuild)");
        runner = NativeImageSources.runnerJar();
    }

    @Test
    void noReachableMethodReferencesAMissingType() throws IOException, ClassNotFoundException {
        Result result = Reachability.analyseRunner(runner, jar -> true);
        print("native image sources", result);
        // An analysis that reaches too little proves nothing: every function's entry point must be among what it
        // reaches (Funqy calls them through generated invokers, from the main class).
        List<String> entryPoints = new ArrayList<>();
        for (String export : LambdaRuntimes.EXPORTS) {
            for (Method method :
                    Class.forName(LambdaRuntimes.functionClass(export)).getDeclaredMethods()) {
                if (method.isAnnotationPresent(Funq.class)) {
                    entryPoints.add(method.getDeclaringClass().getName() + "." + method.getName()
                            + org.objectweb.asm.Type.getMethodDescriptor(method));
                }
            }
        }
        assertThat(entryPoints).hasSizeGreaterThanOrEqualTo(6);
        assertThat(result.reachable()).containsAll(entryPoints);
        assertThat(result.unresolved())
                .as("types native-image would not find (each one's callers are printed as [linking] ... via)")
                .isEmpty();
    }

    @Test
    void withoutQuarkusAmazonCommonTheAwsCrtChecksumIsReached() throws IOException {
        Result result = Reachability.analyseRunner(
                runner, jar -> !jar.getFileName().toString().contains("quarkus-amazon-common-"));
        print("without quarkus-amazon-common", result);
        assertThat(result.unresolved())
                .extracting(Object::toString)
                .contains(
                        "software.amazon.awssdk.checksums.internal.ChecksumProvider.crc64NvmeCrtImplementation()"
                                + "Lsoftware/amazon/awssdk/checksums/SdkChecksum; -> software.amazon.awssdk.crt.checksums.CRC64NVME");
    }

    @Test
    void aReachedReferenceToAMissingClassIsReportedAndAnUnreachedOneIsNot(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("violation.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "violation.Root");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry("violation/Root.class"));
            jarOut.write(rootClass());
        }
        Result result = Reachability.analyse(List.of(jar));
        assertThat(result.unresolved())
                .extracting(Object::toString)
                .containsExactly("violation.Root.main([Ljava/lang/String;)V -> violation.Absent");
    }

    /** main creates a violation.Absent, which is in no jar; unreached() does the same but nothing calls it. */
    private static byte[] rootClass() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        writer.visit(Opcodes.V21, Opcodes.ACC_PUBLIC, "violation/Root", null, "java/lang/Object", null);
        for (String name : List.of("main", "unreached")) {
            MethodVisitor m = writer.visitMethod(
                    Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
                    name,
                    name.equals("main") ? "([Ljava/lang/String;)V" : "()V",
                    null,
                    null);
            m.visitCode();
            m.visitTypeInsn(Opcodes.NEW, "violation/Absent");
            m.visitInsn(Opcodes.POP);
            m.visitInsn(Opcodes.RETURN);
            m.visitMaxs(0, 0);
            m.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** The counts, and each unresolved reference with the chain of first callers that reached it. */
    private static void print(String what, Result result) {
        System.out.printf(
                "[linking] %s: %d reachable methods, %d instantiated types, %d classes read,"
                        + " %d substitution classes applied, %d ms, %d unresolved%n",
                what,
                result.reachable().size(),
                result.instantiatedTypes(),
                result.classesRead(),
                result.substitutionClasses(),
                result.millis(),
                result.unresolved().size());
        for (Unresolved u : result.unresolved()) {
            System.out.printf("[linking]   %s%n[linking]     via %s%n", u, String.join(" <- ", u.via()));
        }
    }
}
