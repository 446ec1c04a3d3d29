package app.visage.packaging.linking;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/**
 * The classes native-image would be given: the jars in class path order, behind the running JDK's modules (a
 * class path class in a JDK package is ignored, as on the module path). Each class is parsed once and kept.
 */
final class ClassPath implements Closeable {
    /**
     * native-image puts its own API and builder beside the image's classes; there is no GraalVM here, so types in
     * these packages count as present (and their bodies, like the JDK's, are not walked).
     */
    private static final List<String> BUILDER_PACKAGES =
            List.of("org/graalvm/nativeimage/", "org/graalvm/word/", "com/oracle/svm/", "jdk/graal/", "jdk/vm/ci/");

    final List<Path> paths;
    private final List<JarFile> jars = new ArrayList<>();
    private final Map<String, JarFile> classes = new LinkedHashMap<>();
    private final Map<String, ModuleReference> jdkPackages = new HashMap<>();
    private final Map<ModuleReference, ModuleReader> readers = new HashMap<>();
    private final Map<String, Optional<ClassNode>> parsed = new HashMap<>();
    private URLClassLoader loader;

    ClassPath(List<Path> paths) throws IOException {
        this.paths = List.copyOf(paths);
        for (ModuleReference module : ModuleFinder.ofSystem().findAll()) {
            module.descriptor().packages().forEach(p -> jdkPackages.put(p.replace('.', '/'), module));
        }
        for (Path path : paths) {
            // Multi-release jars are read as the running JDK would read them.
            JarFile jar = new JarFile(path.toFile(), true, ZipFile.OPEN_READ, Runtime.version());
            jars.add(jar);
            jar.versionedStream()
                    .map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.startsWith("META-INF/"))
                    .forEach(n -> classes.putIfAbsent(n.substring(0, n.length() - 6), jar));
        }
    }

    /** The runner jar, then the jars its manifest's Class-Path names (native-image's class path). */
    static List<Path> manifestClassPath(Path runner) throws IOException {
        List<Path> paths = new ArrayList<>(List.of(runner));
        try (JarFile jar = new JarFile(runner.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            for (String entry :
                    classPath == null ? new String[0] : classPath.trim().split("\\s+")) {
                paths.add(runner.resolveSibling(entry));
            }
        }
        return paths;
    }

    List<JarFile> jars() {
        return jars;
    }

    List<String> classesIn(JarFile jar) {
        return classes.entrySet().stream()
                .filter(e -> e.getValue() == jar)
                .map(Map.Entry::getKey)
                .toList();
    }

    Set<String> jarClasses() {
        return classes.keySet();
    }

    boolean isJdk(String name) {
        return jdkPackages.containsKey(pkg(name));
    }

    boolean isBuilder(String name) {
        return BUILDER_PACKAGES.stream().anyMatch(name::startsWith);
    }

    /** The class's bytes, or null when neither the JDK nor a jar has it. */
    byte[] bytes(String name) {
        try {
            ModuleReference module = jdkPackages.get(pkg(name));
            if (module != null) {
                ModuleReader reader = readers.get(module);
                if (reader == null) {
                    readers.put(module, reader = module.open());
                }
                Optional<ByteBuffer> buffer = reader.read(name + ".class");
                if (buffer.isEmpty()) return null;
                byte[] bytes = new byte[buffer.get().remaining()];
                buffer.get().get(bytes);
                reader.release(buffer.get());
                return bytes;
            }
            JarFile jar = classes.get(name);
            if (jar == null) return null;
            try (InputStream in = jar.getInputStream(jar.getJarEntry(name + ".class"))) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parsed class, or null when absent. JDK classes are read without code: their bodies are not walked. */
    ClassNode get(String name) {
        Optional<ClassNode> node = parsed.get(name);
        if (node == null) {
            byte[] bytes = bytes(name);
            ClassNode c = null;
            if (bytes != null) {
                c = new ClassNode();
                int skipCode = isJdk(name) ? ClassReader.SKIP_CODE : 0;
                new ClassReader(bytes).accept(c, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES | skipCode);
            }
            parsed.put(name, node = Optional.ofNullable(c));
        }
        return node.orElse(null);
    }

    int classesRead() {
        return parsed.size();
    }

    /** A class loader of the same jars, to run substitutions' onlyWith predicates. */
    ClassLoader loader() throws IOException {
        if (loader == null) {
            List<URL> urls = new ArrayList<>();
            for (Path path : paths) {
                urls.add(path.toUri().toURL());
            }
            loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        }
        return loader;
    }

    private static String pkg(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    @Override
    public void close() throws IOException {
        for (JarFile jar : jars) jar.close();
        for (ModuleReader reader : readers.values()) reader.close();
        if (loader != null) loader.close();
    }
}
