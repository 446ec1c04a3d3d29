package app.visage.packaging.linking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Rapid Type Analysis of what native-image would compile, to find what it refuses with --link-at-build-time: a type
 * referenced by a reachable method's bytecode that is not on the class path (or whose supertypes are not). A
 * virtual call reaches the implementation in every instantiated subtype of its owner, now or later. JDK bodies are
 * not walked; instead the JDK may call any of its own virtual methods on any instantiated class path type
 * (callbacks, toString, run...). What native-image does not parse is left out as it leaves it out: replaced or
 * deleted methods ({@link Substitutions}), initialisers the builder runs instead, and dead branches ({@link
 * Folding}).
 */
public final class Reachability {
    /** A reachable method's reference to a type that is missing (or whose supertype is). */
    public record Unresolved(String method, String missing, List<String> via) {
        @Override
        public String toString() {
            return method + " -> " + missing;
        }
    }

    /** A method body to walk, as compiled into the image or only run by the builder ({@code hosted}). */
    private record Method(String key, MethodNode node, boolean hosted) {}

    private final ClassPath classPath;
    private final Substitutions substitutions;
    /** Each reachable method (owner.name+desc, after substitution) with the method that first reached it. */
    private final Map<String, String> reachedFrom = new HashMap<>();
    /**
     * Methods only the builder runs: Quarkus initialises classes at build time unless told otherwise, and
     * native-image runs those initialisers on the JVM instead of compiling them, so what they alone reach is not
     * parsed. What they instantiate can be in the image heap, so it counts as instantiated.
     */
    private final Map<String, String> hostedFrom = new HashMap<>();

    private final RunTimeInitialization runTime;
    private final Folding folding;
    private boolean hosted;

    private final Deque<Method> work = new ArrayDeque<>();
    private final Set<String> instantiated = new HashSet<>();
    private final Set<String> initialized = new HashSet<>();
    private final Set<String> used = new HashSet<>();
    private final Map<String, Set<String>> virtualCalls = new HashMap<>();
    private final Map<String, Set<String>> hostedVirtualCalls = new HashMap<>();
    private final Map<String, List<String>> instantiatedSubtypes = new HashMap<>();
    private final Map<String, Set<String>> supertypes = new HashMap<>();
    private final Map<String, String> missing = new HashMap<>();
    private final Set<Unresolved> unresolved = new TreeSet<>(Comparator.comparing(Unresolved::toString));
    private String current;

    private Reachability(ClassPath classPath) {
        this.classPath = classPath;
        this.substitutions = new Substitutions(classPath);
        this.runTime = new RunTimeInitialization(classPath);
        this.folding = new Folding(classPath, runTime, substitutions);
    }

    /** The analysis of a runner jar and the lib jars its manifest names, less those {@code keep} refuses. */
    public static Result analyseRunner(Path runner, Predicate<Path> keep) throws IOException {
        List<Path> jars = new ArrayList<>(ClassPath.manifestClassPath(runner));
        jars.removeIf(keep.negate());
        return analyse(jars);
    }

    /**
     * Runs the analysis from the roots native-image would use: the first jar's Main-Class, reflection
     * registrations, the first jar's service providers.
     */
    public static Result analyse(List<Path> jars) throws IOException {
        long start = System.nanoTime();
        try (ClassPath classPath = new ClassPath(jars)) {
            return analyse(classPath, start);
        }
    }

    private static Result analyse(ClassPath classPath, long start) throws IOException {
        Reachability analysis = new Reachability(classPath);
        analysis.roots();
        return new Result(
                List.copyOf(analysis.unresolved),
                analysis.reachedFrom.keySet().stream()
                        .map(Reachability::display)
                        .collect(Collectors.toSet()),
                analysis.instantiated.size(),
                classPath.classesRead(),
                analysis.substitutions.count(),
                (System.nanoTime() - start) / 1_000_000);
    }

    public record Result(
            List<Unresolved> unresolved,
            /** owner.name(desc), the owner's name with dots: what the image compiles. */
            Set<String> reachable,
            int instantiatedTypes,
            int classesRead,
            int substitutionClasses,
            long millis) {}

    private void roots() throws IOException {
        JarFile runner = classPath.jars().get(0);
        String main = runner.getManifest().getMainAttributes().getValue("Main-Class");
        current = "<main class>";
        String mainClass = main.replace('.', '/');
        initialize(mainClass);
        invokeDirect(mainClass, "main([Ljava/lang/String;)V");
        for (String service : entries(runner, "META-INF/services/")) {
            for (String line : new String(read(runner, service)).split("\n")) {
                String provider = line.replaceAll("#.*", "").trim().replace('.', '/');
                if (provider.isEmpty() || classPath.get(provider) == null) continue;
                instantiate(provider);
                initialize(provider);
                invokeDirect(provider, "<init>()V");
            }
        }
        List<JsonNode> conditional = new ArrayList<>();
        for (JarFile jar : classPath.jars()) {
            for (String config : entries(jar, "META-INF/native-image/")) {
                if (config.endsWith("reflect-config.json")) {
                    new ObjectMapper().readTree(read(jar, config)).forEach(conditional::add);
                }
            }
        }
        drain();
        // An entry with a condition applies once its type is reachable; that can take a few rounds.
        for (boolean progress = true; progress; ) {
            progress = false;
            for (var it = conditional.iterator(); it.hasNext(); ) {
                JsonNode entry = it.next();
                JsonNode condition = entry.path("condition");
                String type = condition
                        .path("typeReachable")
                        .asText(condition.path("typeReached").asText(""));
                if (type.isEmpty() || used.contains(type.replace('.', '/'))) {
                    it.remove();
                    register(entry);
                    progress = true;
                }
            }
            drain();
        }
    }

    /** What a reflection registration makes invocable: the methods and constructors it lists or names all of. */
    private void register(JsonNode entry) {
        String name = entry.path("name").asText(entry.path("type").asText()).replace('.', '/');
        ClassNode c = classPath.get(name);
        if (c == null) return; // native-image warns about a registration it cannot find, and goes on
        current = "<reflect-config.json " + name.replace('/', '.') + ">";
        hosted = false; // registered methods are compiled into the image
        used.add(name);
        boolean allMethods = entry.path("allDeclaredMethods").asBoolean()
                || entry.path("allPublicMethods").asBoolean();
        boolean allConstructors = entry.path("allDeclaredConstructors").asBoolean()
                || entry.path("allPublicConstructors").asBoolean();
        Set<String> listed = new HashSet<>();
        entry.path("methods").forEach(m -> {
            StringBuilder key = new StringBuilder(m.path("name").asText()).append('(');
            m.path("parameterTypes").forEach(p -> key.append(p.asText()).append(','));
            listed.add(key.toString());
        });
        for (MethodNode m : c.methods) {
            boolean constructor = m.name.equals("<init>");
            boolean all = constructor ? allConstructors : allMethods && !m.name.equals("<clinit>");
            if (all || listed.contains(signature(m))) {
                initialize(name);
                if (constructor) instantiate(name);
                enqueue(c, m.name + m.desc, false);
            }
        }
    }

    private static String signature(MethodNode m) {
        StringBuilder key = new StringBuilder(m.name).append('(');
        for (Type t : Type.getArgumentTypes(m.desc))
            key.append(t.getClassName()).append(',');
        return key.toString();
    }

    private void drain() {
        while (!work.isEmpty()) {
            Method m = work.poll();
            current = m.key();
            hosted = m.hosted();
            walk(m.node());
        }
    }

    private void walk(MethodNode m) {
        Set<AbstractInsnNode> live = folding.live(m);
        for (TryCatchBlockNode block : m.tryCatchBlocks) {
            if (block.type != null && live.contains(block.handler)) use(block.type);
        }
        for (AbstractInsnNode insn : m.instructions) {
            if (!live.contains(insn)) continue;
            switch (insn) {
                case MethodInsnNode call -> {
                    String owner = target(call.owner);
                    if (!use(owner) || owner.startsWith("[")) continue;
                    String nameAndDesc = call.name + mapDescriptor(call.desc);
                    switch (call.getOpcode()) {
                        case Opcodes.INVOKESTATIC -> {
                            initialize(owner);
                            invokeDirect(owner, nameAndDesc);
                        }
                        case Opcodes.INVOKESPECIAL -> invokeDirect(owner, nameAndDesc);
                        default -> invokeVirtual(owner, nameAndDesc);
                    }
                }
                case FieldInsnNode field -> {
                    String owner = target(field.owner);
                    if (use(owner)
                            && (field.getOpcode() == Opcodes.GETSTATIC || field.getOpcode() == Opcodes.PUTSTATIC)) {
                        initialize(owner);
                    }
                }
                case TypeInsnNode type -> {
                    String name = target(type.desc);
                    if (use(name) && type.getOpcode() == Opcodes.NEW) {
                        instantiate(name);
                        initialize(name);
                    }
                }
                case MultiANewArrayInsnNode array -> use(array.desc);
                case LdcInsnNode ldc -> constant(ldc.cst);
                case InvokeDynamicInsnNode indy -> {
                    handle(indy.bsm);
                    for (Object arg : indy.bsmArgs) constant(arg);
                }
                default -> {}
            }
        }
    }

    private void constant(Object value) {
        switch (value) {
            case Type t
            when t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY -> use(target(t.getInternalName()));
            case Handle h -> handle(h);
            case ConstantDynamic d -> {
                handle(d.getBootstrapMethod());
                for (int i = 0; i < d.getBootstrapMethodArgumentCount(); i++) constant(d.getBootstrapMethodArgument(i));
            }
            default -> {}
        }
    }

    /** A method handle, as a lambda's implementation or a bootstrap method: what it calls is reachable. */
    private void handle(Handle h) {
        String owner = target(h.getOwner());
        if (!use(owner) || h.getTag() <= Opcodes.H_PUTSTATIC) return; // a field handle only needs its owner
        String nameAndDesc = h.getName() + mapDescriptor(h.getDesc());
        switch (h.getTag()) {
            case Opcodes.H_INVOKEVIRTUAL, Opcodes.H_INVOKEINTERFACE -> invokeVirtual(owner, nameAndDesc);
            case Opcodes.H_NEWINVOKESPECIAL -> {
                instantiate(owner);
                initialize(owner);
                invokeDirect(owner, nameAndDesc);
            }
            default -> {
                initialize(owner);
                invokeDirect(owner, nameAndDesc);
            }
        }
    }

    /** A static, constructor, private or super call: the method declared in the owner or its supertypes. */
    private void invokeDirect(String owner, String nameAndDesc) {
        ClassNode declaring = declaring(owner, nameAndDesc, false);
        if (declaring != null) enqueue(declaring, nameAndDesc, hosted);
    }

    private void invokeVirtual(String owner, String nameAndDesc) {
        ClassNode declaring = declaring(owner, nameAndDesc, false);
        MethodNode declared = declaring == null ? null : method(declaring, nameAndDesc);
        if (declared != null && (declared.access & Opcodes.ACC_PRIVATE) != 0) {
            enqueue(declaring, nameAndDesc, hosted); // a nestmate's private method, called directly
            return;
        }
        if ((hosted ? hostedVirtualCalls : virtualCalls)
                .computeIfAbsent(owner, o -> new HashSet<>())
                .add(nameAndDesc)) {
            for (String type : List.copyOf(instantiatedSubtypes.getOrDefault(owner, List.of()))) {
                dispatch(type, nameAndDesc, hosted);
            }
        }
    }

    /** A type becomes instantiated: every virtual call already made on one of its supertypes may reach it. */
    private void instantiate(String type) {
        ClassNode c = classPath.get(type);
        if (c == null || (c.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) != 0 || !instantiated.add(type)) {
            return;
        }
        for (String supertype : supertypes(type)) {
            instantiatedSubtypes
                    .computeIfAbsent(supertype, s -> new ArrayList<>())
                    .add(type);
            for (String nameAndDesc : List.copyOf(virtualCalls.getOrDefault(supertype, Set.of()))) {
                dispatch(type, nameAndDesc, false);
            }
            for (String nameAndDesc : List.copyOf(hostedVirtualCalls.getOrDefault(supertype, Set.of()))) {
                dispatch(type, nameAndDesc, true);
            }
            if (classPath.isJdk(supertype) && !classPath.isJdk(type)) {
                for (MethodNode m : classPath.get(supertype).methods) {
                    boolean virtual = (m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0;
                    if (virtual && !m.name.equals("<init>") && !m.name.equals("finalize")) {
                        dispatch(type, m.name + m.desc, false);
                    }
                }
            }
        }
    }

    /** The implementation an object of this type runs: its class chain first, then a default method. */
    private void dispatch(String type, String nameAndDesc, boolean hosted) {
        ClassNode declaring = declaring(type, nameAndDesc, true);
        if (declaring != null) enqueue(declaring, nameAndDesc, hosted);
    }

    /** The class and its superclasses are initialised: by the builder, or in the image if run-time initialised. */
    private void initialize(String type) {
        for (ClassNode c = classPath.get(type);
                c != null && initialized.add((hosted ? "hosted " : "") + c.name);
                c = superclass(c)) {
            if (method(c, "<clinit>()V") != null) enqueue(c, "<clinit>()V", hosted || !runTime.at(c));
        }
    }

    private void enqueue(ClassNode owner, String nameAndDesc, boolean hosted) {
        String key = owner.name + "." + nameAndDesc;
        if (substitutions.isDeleted(owner.name, nameAndDesc)
                || reachedFrom.containsKey(key)
                || (hosted ? hostedFrom : reachedFrom).putIfAbsent(key, current) != null) {
            return;
        }
        MethodNode m = substitutions.replacement(owner.name, nameAndDesc);
        if (m == null && !classPath.isJdk(owner.name)) m = method(owner, nameAndDesc);
        if (m != null && m.instructions != null && m.instructions.size() > 0) work.add(new Method(key, m, hosted));
    }

    /** The class declaring the method in type's hierarchy: superclasses, then interfaces (concrete only if asked). */
    private ClassNode declaring(String type, String nameAndDesc, boolean concrete) {
        for (ClassNode c = classPath.get(type); c != null; c = superclass(c)) {
            MethodNode m = method(c, nameAndDesc);
            if (m != null && !(concrete && (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC)) != 0)) return c;
        }
        for (String s : supertypes(type)) {
            ClassNode c = classPath.get(s);
            MethodNode m = c == null ? null : method(c, nameAndDesc);
            if (m != null
                    && (c.access & Opcodes.ACC_INTERFACE) != 0
                    && (!concrete || (m.access & Opcodes.ACC_ABSTRACT) == 0)) {
                return c;
            }
        }
        return null;
    }

    private static MethodNode method(ClassNode c, String nameAndDesc) {
        for (MethodNode m : c.methods) {
            if (nameAndDesc.startsWith(m.name)
                    && nameAndDesc.length() == m.name.length() + m.desc.length()
                    && nameAndDesc.endsWith(m.desc)) {
                return m;
            }
        }
        return null;
    }

    private ClassNode superclass(ClassNode c) {
        return c.superName == null ? null : classPath.get(c.superName);
    }

    /** The type and all its superclasses and interfaces that are on the class path. */
    private Set<String> supertypes(String type) {
        Set<String> all = supertypes.get(type);
        if (all == null) {
            all = new LinkedHashSet<>();
            ClassNode c = classPath.get(type);
            if (c != null) {
                all.add(type);
                if (c.superName != null) all.addAll(supertypes(c.superName));
                for (String i : c.interfaces) all.addAll(supertypes(i));
            }
            supertypes.put(type, all);
        }
        return all;
    }

    /** Records a type a reachable method references; false (and reported) when it does not resolve. */
    private boolean use(String type) {
        Type element = type.startsWith("[") ? Type.getType(type).getElementType() : Type.getObjectType(type);
        if (element.getSort() != Type.OBJECT) return true; // a primitive array
        return resolves(element.getInternalName());
    }

    private boolean resolves(String element) {
        used.add(element);
        String absent = missing(element);
        if (absent != null && !hosted)
            unresolved.add(new Unresolved(display(current), absent.replace('/', '.'), via(current)));
        return absent == null;
    }

    /** The type itself or the first of its supertypes that is not on the class path, or null. */
    private String missing(String type) {
        if (classPath.isBuilder(type)) return null;
        if (missing.containsKey(type)) return missing.get(type);
        ClassNode c = classPath.get(type);
        String absent = c == null ? type : null;
        if (c != null && c.superName != null) absent = missing(c.superName);
        for (int i = 0; absent == null && c != null && i < c.interfaces.size(); i++)
            absent = missing(c.interfaces.get(i));
        missing.put(type, absent);
        return absent;
    }

    /** How a method was reached, callers first: the chain of first callers back to a root. */
    private List<String> via(String key) {
        List<String> chain = new ArrayList<>();
        for (String caller = reachedFrom.get(key);
                caller != null && chain.size() < 30;
                caller = reachedFrom.getOrDefault(caller, hostedFrom.get(caller))) {
            chain.add(display(caller));
        }
        return chain;
    }

    private static String display(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot).replace('/', '.') + key.substring(dot);
    }

    private String target(String name) {
        return substitutions.target(name);
    }

    private String mapDescriptor(String desc) {
        return substitutions.mapDescriptor(desc);
    }

    private static List<String> entries(JarFile jar, String prefix) {
        return Collections.list(jar.entries()).stream()
                .map(e -> e.getName())
                .filter(n -> n.startsWith(prefix) && !n.endsWith("/"))
                .toList();
    }

    private static byte[] read(JarFile jar, String name) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
            return in.readAllBytes();
        }
    }
}
