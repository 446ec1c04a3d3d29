package app.visage.packaging.linking;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * What native-image parses of a method. Its parser folds the static final fields of classes the builder has
 * initialised, inlines small methods that then return a constant, and never parses a branch that cannot be taken:
 * that is how {@code if (CLASS_MISSING == null) Missing.use()} links. The values come from running the class's
 * initialiser on a class loader of the same class path, as the builder does.
 */
final class Folding {
    private static final Object UNKNOWN = new Object();
    private static final Object NULL = new Object();
    private static final Object NON_NULL = new Object();

    private final ClassPath classPath;
    private final RunTimeInitialization runTime;
    private final Substitutions substitutions;
    private final Map<String, Object> fields = new HashMap<>();
    private final Map<String, Object> results = new HashMap<>();

    Folding(ClassPath classPath, RunTimeInitialization runTime, Substitutions substitutions) {
        this.classPath = classPath;
        this.runTime = runTime;
        this.substitutions = substitutions;
    }

    /** The instructions that can run: jumps followed, a branch on a folded value one way only, live handlers. */
    Set<AbstractInsnNode> live(MethodNode m) {
        Set<AbstractInsnNode> live = new HashSet<>();
        Deque<AbstractInsnNode> todo = new ArrayDeque<>(List.of(m.instructions.getFirst()));
        while (!todo.isEmpty()) {
            while (!todo.isEmpty()) {
                AbstractInsnNode insn = todo.poll();
                if (insn != null && live.add(insn)) successors(insn).forEach(todo::add);
            }
            for (TryCatchBlockNode block : m.tryCatchBlocks) {
                if (live.contains(block.handler)) continue;
                for (AbstractInsnNode i = block.start; i != null && i != block.end; i = i.getNext()) {
                    if (live.contains(i)) {
                        todo.add(block.handler);
                        break;
                    }
                }
            }
        }
        return live;
    }

    private List<AbstractInsnNode> successors(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        if (insn instanceof JumpInsnNode jump) {
            if (op == Opcodes.GOTO) return List.of(jump.label);
            Boolean taken = taken(op, pushedBy(previous(insn), 0));
            if (taken != null) return Arrays.asList(taken ? jump.label : insn.getNext());
            return Arrays.asList(insn.getNext(), jump.label);
        }
        if (insn instanceof TableSwitchInsnNode s) return concat(s.labels, s.dflt);
        if (insn instanceof LookupSwitchInsnNode s) return concat(s.labels, s.dflt);
        if ((op >= Opcodes.IRETURN && op <= Opcodes.RETURN) || op == Opcodes.ATHROW) return List.of();
        if (insn instanceof MethodInsnNode call && throwsClassNotFound(call)) return List.of();
        return Arrays.asList(insn.getNext());
    }

    private static List<AbstractInsnNode> concat(List<? extends AbstractInsnNode> labels, AbstractInsnNode dflt) {
        List<AbstractInsnNode> all = new ArrayList<>(labels);
        all.add(dflt);
        return all;
    }

    /**
     * Class.forName of a constant name that is not on the class path: native-image folds it to a throw, and the
     * builder running an initialiser throws there too (how libraries probe for optional ones).
     */
    private boolean throwsClassNotFound(MethodInsnNode call) {
        if (!call.owner.equals("java/lang/Class") || !call.name.equals("forName")) return false;
        AbstractInsnNode arg = previous(call);
        if (call.desc.startsWith("(Ljava/lang/String;ZLjava/lang/ClassLoader;)")) {
            // forName(name, initialise, loader), the loader from a local variable: the usual probe.
            AbstractInsnNode flag = arg == null || arg.getOpcode() != Opcodes.ALOAD ? null : previous(arg);
            boolean constant =
                    flag != null && (flag.getOpcode() == Opcodes.ICONST_0 || flag.getOpcode() == Opcodes.ICONST_1);
            arg = constant ? previous(flag) : null;
        } else if (!call.desc.equals("(Ljava/lang/String;)Ljava/lang/Class;")) {
            return false;
        }
        return arg instanceof LdcInsnNode ldc
                && ldc.cst instanceof String name
                && classPath.get(name.replace('.', '/')) == null
                && !classPath.isBuilder(name.replace('.', '/'));
    }

    /** The instruction before, if control can only come from it (a label may be a jump's target). */
    private static AbstractInsnNode previous(AbstractInsnNode insn) {
        AbstractInsnNode p = insn.getPrevious();
        while (p instanceof FrameNode || p instanceof LineNumberNode) p = p.getPrevious();
        return p;
    }

    private static Boolean taken(int op, Object value) {
        if (value == UNKNOWN) return null;
        return switch (op) {
            case Opcodes.IFNULL -> value == NULL;
            case Opcodes.IFNONNULL -> value != NULL;
            case Opcodes.IFEQ, Opcodes.IFNE, Opcodes.IFLT, Opcodes.IFGE, Opcodes.IFGT, Opcodes.IFLE -> {
                if (!(value instanceof Integer i)) yield null;
                yield switch (op) {
                    case Opcodes.IFEQ -> i == 0;
                    case Opcodes.IFNE -> i != 0;
                    case Opcodes.IFLT -> i < 0;
                    case Opcodes.IFGE -> i >= 0;
                    case Opcodes.IFGT -> i > 0;
                    default -> i <= 0;
                };
            }
            default -> null;
        };
    }

    /** The value an instruction pushes when native-image would know it: a constant, a folded field or call. */
    private Object pushedBy(AbstractInsnNode insn, int depth) {
        if (insn == null) return UNKNOWN;
        int op = insn.getOpcode();
        if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) return op - Opcodes.ICONST_0;
        if (op == Opcodes.ACONST_NULL) return NULL;
        if (insn instanceof IntInsnNode i && op != Opcodes.NEWARRAY) return i.operand;
        if (insn instanceof LdcInsnNode ldc) return ldc.cst instanceof Integer i ? i : NON_NULL;
        if (insn instanceof FieldInsnNode f && op == Opcodes.GETSTATIC) return field(f.owner, f.name);
        if (insn instanceof MethodInsnNode call && op == Opcodes.INVOKESTATIC && call.desc.startsWith("()")) {
            return result(call.owner, call.name + call.desc, depth);
        }
        return UNKNOWN;
    }

    /** What a static method without parameters returns, if it folds to a constant: a straight run of its code. */
    private Object result(String owner, String nameAndDesc, int depth) {
        String key = owner + "." + nameAndDesc;
        if (results.containsKey(key)) return results.get(key);
        ClassNode c = classPath.get(owner);
        MethodNode m = substitutions.replacement(owner, nameAndDesc);
        for (int i = 0; m == null && c != null && i < c.methods.size(); i++) {
            MethodNode candidate = c.methods.get(i);
            if ((candidate.name + candidate.desc).equals(nameAndDesc)) m = candidate;
        }
        Object result = UNKNOWN;
        if (depth < 4 && m != null && m.instructions != null && m.instructions.size() > 0) {
            Deque<Object> stack = new ArrayDeque<>();
            AbstractInsnNode insn = m.instructions.getFirst();
            for (int steps = 0; insn != null && steps < 50; steps++) {
                int op = insn.getOpcode();
                if (op < 0) {
                    insn = insn.getNext();
                } else if (op == Opcodes.IRETURN || op == Opcodes.ARETURN) {
                    result = stack.isEmpty() ? UNKNOWN : stack.pop();
                    break;
                } else if (insn instanceof JumpInsnNode jump) {
                    Boolean taken = op == Opcodes.GOTO ? Boolean.TRUE : stack.isEmpty() ? null : taken(op, stack.pop());
                    if (taken == null) break;
                    insn = taken ? jump.label : insn.getNext();
                } else {
                    Object value = pushedBy(insn, depth + 1);
                    if (value == UNKNOWN) break;
                    stack.push(value);
                    insn = insn.getNext();
                }
            }
        }
        results.put(key, result);
        return result;
    }

    /** A static final field's value in a class the builder initialises, as its initialiser left it. */
    private Object field(String owner, String name) {
        String key = owner + "." + name;
        Object value = fields.get(key);
        if (value == null) {
            value = UNKNOWN;
            ClassNode c = classPath.get(owner);
            FieldNode f = c == null
                    ? null
                    : c.fields.stream()
                            .filter(x -> x.name.equals(name))
                            .findFirst()
                            .orElse(null);
            int staticFinal = Opcodes.ACC_STATIC | Opcodes.ACC_FINAL;
            if (f != null
                    && (f.access & staticFinal) == staticFinal
                    && !classPath.isJdk(owner)
                    && !runTime.at(c)
                    && !substitutions.recomputes(owner, name)) {
                value = f.value != null ? pushedValue(f.value) : initialised(owner, name);
            }
            fields.put(key, value);
        }
        return value;
    }

    private Object initialised(String owner, String name) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            thread.setContextClassLoader(classPath.loader());
            Field field = Class.forName(owner.replace('/', '.'), true, classPath.loader())
                    .getDeclaredField(name);
            field.setAccessible(true);
            return pushedValue(field.get(null));
        } catch (Exception | LinkageError e) {
            return UNKNOWN; // an initialiser that fails here folds nothing
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Object pushedValue(Object value) {
        return switch (value) {
            case null -> NULL;
            case Boolean b -> b ? 1 : 0;
            case Integer i -> i;
            case Short s -> (int) s;
            case Byte b -> (int) b;
            case Character ch -> (int) ch;
            case Long l -> UNKNOWN; // LCMP comes first: not folded
            case Float f -> UNKNOWN;
            case Double d -> UNKNOWN;
            default -> NON_NULL;
        };
    }
}
