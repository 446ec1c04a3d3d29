package app.visage.packaging.linking;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * GraalVM's substitutions found on the class path ({@code @TargetClass} classes), applied as native-image applies
 * them: a {@code @Substitute} method's body stands for the target's method, a {@code @Delete}d method or class is
 * gone, and a substitution class's name in code means its target (that is how {@code @Alias} members are used).
 */
final class Substitutions {
    private static final String ANNOTATE = "Lcom/oracle/svm/core/annotate/";
    private static final byte[] MARKER = (ANNOTATE.substring(1) + "TargetClass;").getBytes(StandardCharsets.UTF_8);

    /** Substitution class to its target. */
    private final Map<String, String> targets = new HashMap<>();
    /** Target's method (owner.name+desc) to the substitution class's method that replaces it. */
    private final Map<String, MethodNode> replacements = new HashMap<>();

    private final Set<String> deleted = new HashSet<>();
    /** Targets substituted as a whole: only the substitution's methods exist. */
    private final Set<String> whole = new HashSet<>();
    /** Target fields whose value the builder sets itself (recomputed, injected or deleted): never folded. */
    private final Set<String> recomputed = new HashSet<>();

    Substitutions(ClassPath classPath) {
        Map<ClassNode, String> applying = new LinkedHashMap<>(); // class path order, for a repeatable outcome
        for (String name : classPath.jarClasses()) {
            byte[] bytes = classPath.bytes(name);
            if (!contains(bytes, MARKER)) continue; // cheap: only parse classes that mention @TargetClass
            ClassNode c = classPath.get(name);
            AnnotationNode targetClass = annotation(c.visibleAnnotations, "TargetClass");
            String target = targetClass == null ? null : targetName(targetClass);
            // A target that is not on the class path is ignored by native-image too.
            if (target != null && classPath.get(target) != null && holds(classPath, targetClass, target)) {
                targets.put(c.name, target);
                applying.put(c, target);
            }
        }
        applying.forEach((c, target) -> {
            if (annotation(c.visibleAnnotations, "Delete") != null) deleted.add(target);
            boolean wholeClass = annotation(c.visibleAnnotations, "Substitute") != null;
            if (wholeClass) whole.add(target);
            for (FieldNode f : c.fields) {
                if (f.visibleAnnotations != null
                        && f.visibleAnnotations.stream().anyMatch(a -> !a.desc.endsWith("/Alias;"))) {
                    recomputed.add(target + "." + f.name);
                }
            }
            for (MethodNode m : c.methods) {
                AnnotationNode element = annotation(m.visibleAnnotations, "TargetElement");
                if (element != null && !holds(classPath, element, target)) continue;
                String name = element == null ? null : (String) value(element, "name");
                String key = target + "." + (name == null || name.isEmpty() ? m.name : name) + mapDescriptor(m.desc);
                if (wholeClass || annotation(m.visibleAnnotations, "Substitute") != null) {
                    replacements.put(key, m);
                } else if (annotation(m.visibleAnnotations, "Delete") != null) {
                    deleted.add(key);
                }
            }
        });
    }

    /** The class a name in code stands for: the target, for a substitution class. */
    String target(String owner) {
        return targets.getOrDefault(owner, owner);
    }

    boolean isDeleted(String owner, String nameAndDesc) {
        String key = owner + "." + nameAndDesc;
        return deleted.contains(owner)
                || deleted.contains(key)
                || (whole.contains(owner) && !replacements.containsKey(key));
    }

    boolean recomputes(String owner, String field) {
        return whole.contains(owner) || recomputed.contains(owner + "." + field);
    }

    /** The method whose body replaces owner.nameAndDesc, or null. */
    MethodNode replacement(String owner, String nameAndDesc) {
        return replacements.get(owner + "." + nameAndDesc);
    }

    int count() {
        return targets.size();
    }

    /** The descriptor with substitution classes replaced by their targets. */
    String mapDescriptor(String desc) {
        if (targets.isEmpty() || desc.indexOf('L') < 0) return desc;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < desc.length(); i++) {
            char ch = desc.charAt(i);
            out.append(ch);
            if (ch == 'L') {
                int end = desc.indexOf(';', i);
                out.append(target(desc.substring(i + 1, end))).append(';');
                i = end;
            }
        }
        return out.toString();
    }

    private static String targetName(AnnotationNode targetClass) {
        Object value = value(targetClass, "value");
        String name = value instanceof Type t ? t.getInternalName() : (String) value(targetClass, "className");
        if (name == null || name.isEmpty()) return null; // classNameProvider: not modelled, the class is skipped
        name = name.replace('.', '/');
        if (value(targetClass, "innerClass") instanceof List<?> inner) {
            for (Object part : inner) name += "$" + part;
        }
        return name;
    }

    /**
     * Whether all onlyWith predicates hold, run as native-image runs them: BooleanSupplier, or Predicate of the
     * target's name. One that cannot be loaded or run here (it needs GraalVM's classes) counts as holding.
     */
    private static boolean holds(ClassPath classPath, AnnotationNode annotation, String target) {
        if (!(value(annotation, "onlyWith") instanceof List<?> predicates)) return true;
        for (Object predicate : predicates) {
            String name = ((Type) predicate).getClassName();
            if (name.equals("com.oracle.svm.core.annotate.TargetClass$AlwaysIncluded")) continue;
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            try {
                thread.setContextClassLoader(classPath.loader());
                var constructor = Class.forName(name, true, classPath.loader()).getDeclaredConstructor();
                constructor.setAccessible(true);
                Object instance = constructor.newInstance();
                boolean holds = instance instanceof BooleanSupplier supplier
                        ? supplier.getAsBoolean()
                        : instance instanceof Predicate<?> test
                                && ((Predicate<String>) test).test(target.replace('/', '.'));
                if (!holds) return false;
            } catch (Exception | LinkageError e) {
                // Taken as holding: a substitution wrongly applied can hide a reference, never invent one.
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
        return true;
    }

    private static AnnotationNode annotation(List<AnnotationNode> annotations, String simpleName) {
        if (annotations == null) return null;
        String desc = ANNOTATE + simpleName + ";";
        return annotations.stream().filter(a -> a.desc.equals(desc)).findFirst().orElse(null);
    }

    private static Object value(AnnotationNode annotation, String key) {
        List<Object> values = annotation.values;
        for (int i = 0; values != null && i < values.size(); i += 2) {
            if (values.get(i).equals(key)) return values.get(i + 1);
        }
        return null;
    }

    private static boolean contains(byte[] bytes, byte[] marker) {
        outer:
        for (int i = 0; i <= bytes.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (bytes[i + j] != marker[j]) continue outer;
            }
            return true;
        }
        return false;
    }
}
