package app.visage.packaging.linking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which classes the image initialises at run time. Quarkus's generated Feature initialises every class at build
 * time, then names the exceptions (as strings, for Class.forName); jars name theirs with --initialize-at-run-time
 * in native-image.properties. A subclass of a run-time initialised class is initialised at run time too.
 */
final class RunTimeInitialization {
    private static final Pattern OPTION = Pattern.compile("--initialize-at-run-time=(\\S+)");

    private final ClassPath classPath;
    /** Class or package names, internal form. */
    private final Set<String> named = new HashSet<>();

    private final Map<String, Boolean> atRunTime = new HashMap<>();

    RunTimeInitialization(ClassPath classPath) {
        this.classPath = classPath;
        JarFile runner = classPath.jars().get(0);
        for (String name : classPath.classesIn(runner)) {
            ClassNode c = classPath.get(name);
            if (c.interfaces.contains("org/graalvm/nativeimage/hosted/Feature")) {
                // The pattern it is generated with: list.add(Class.forName("name", false, loader)).
                for (MethodNode m : c.methods) {
                    for (AbstractInsnNode insn : m.instructions) {
                        if (insn instanceof LdcInsnNode ldc
                                && ldc.cst instanceof String s
                                && "forName".equals(nextCall(insn))
                                && "add".equals(nextCall(nextCallNode(insn)))) {
                            name(s);
                        }
                    }
                }
            }
        }
        for (JarFile jar : classPath.jars()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().startsWith("META-INF/native-image/")
                        && entry.getName().endsWith("native-image.properties")) {
                    Matcher options = OPTION.matcher(args(jar, entry));
                    while (options.find()) {
                        for (String s : options.group(1).split(",")) name(s);
                    }
                }
            }
        }
    }

    /** Whether the image runs this class's initialiser, rather than the builder. */
    boolean at(ClassNode c) {
        Boolean known = atRunTime.get(c.name);
        if (known == null) {
            String pkg = c.name.contains("/") ? c.name.substring(0, c.name.lastIndexOf('/')) : "";
            ClassNode superclass = c.superName == null ? null : classPath.get(c.superName);
            known = named.contains(c.name) || named.contains(pkg) || (superclass != null && at(superclass));
            atRunTime.put(c.name, known);
        }
        return known;
    }

    private static MethodInsnNode nextCallNode(AbstractInsnNode insn) {
        for (AbstractInsnNode i = insn.getNext(); i != null; i = i.getNext()) {
            if (i instanceof MethodInsnNode call) return call;
        }
        return null;
    }

    private static String nextCall(AbstractInsnNode insn) {
        MethodInsnNode call = insn == null ? null : nextCallNode(insn);
        return call == null ? null : call.name;
    }

    private void name(String className) {
        named.add(className.trim().replace('.', '/'));
    }

    private static String args(JarFile jar, JarEntry entry) {
        try (InputStream in = jar.getInputStream(entry)) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("Args", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
