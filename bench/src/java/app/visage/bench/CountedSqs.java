package app.visage.bench;

import app.visage.jobs.model.Work;
import app.visage.messages.WorkMessages;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsRequest;

/**
 * An {@link SqsClient} that passes every call to a real one and records each API call it makes, as SQS bills them
 * (one request per call, whatever the batch holds): its action, the work kinds and jobs of the messages it sent or
 * received, how many entries a batch held. A call made with a request builder is built here, so every request is
 * seen with its contents. Requests the SDK retries count once (the embedded queue never asks for a retry here).
 */
final class CountedSqs {
    /** One call: its action ({@code SendMessage}, {@code ReceiveMessage}, …), and what it carried. */
    /** {@code nanos}: when the call was made; {@code endNanos}: when its answer was back. */
    record Call(
            long nanos,
            long endNanos,
            String phase,
            String action,
            int entries,
            List<String> kinds,
            List<String> subjects,
            int delaySeconds) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** The subject of each message received, by receipt handle: a delete names messages only by their handles. */
    private final Map<String, String> handles = new ConcurrentHashMap<>();

    private final SqsClient counted;
    private final Supplier<String> phase;

    /** {@code phase}: a tag recorded with each call (the bench's phase when it was made). */
    CountedSqs(SqsClient real, Supplier<String> phase) {
        this.phase = phase;
        this.counted = (SqsClient) Proxy.newProxyInstance(
                SqsClient.class.getClassLoader(), new Class<?>[] {SqsClient.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "CountedSqs(" + real + ")";
                        };
                    }
                    Object[] callArgs = args;
                    Method target = method;
                    if (args != null && args.length == 1 && args[0] instanceof Consumer<?> builder) {
                        target = requestMethod(method);
                        callArgs = new Object[] {build(target.getParameterTypes()[0], builder)};
                    }
                    long start = System.nanoTime();
                    Object result;
                    try {
                        result = target.invoke(real, callArgs);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (callArgs != null && callArgs.length == 1 && callArgs[0] instanceof SqsRequest request) {
                        record(start, request, result);
                    }
                    return result;
                });
    }

    SqsClient client() {
        return counted;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls made from {@code from} on (an index into {@link #calls()}). */
    List<Call> since(int from) {
        List<Call> all = calls();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    int size() {
        return calls.size();
    }

    private void record(long start, SqsRequest request, Object result) {
        String action = request.getClass().getSimpleName().replace("Request", "");
        List<String> kinds = List.of();
        List<String> subjects = List.of();
        int entries = 1;
        int delay = 0;
        if (request instanceof SendMessageRequest send) {
            Work work = work(send.messageBody());
            kinds = work == null ? List.of() : List.of(work.kind().wire());
            subjects = work == null ? List.of() : List.of(work.subject());
            delay = send.delaySeconds() == null ? 0 : send.delaySeconds();
        } else if (result instanceof ReceiveMessageResponse received) {
            List<String> k = new ArrayList<>();
            List<String> s = new ArrayList<>();
            for (Message m : received.messages()) {
                Work work = work(m.body());
                k.add(work == null ? "?" : work.kind().wire());
                s.add(work == null ? "?" : work.subject());
                handles.put(m.receiptHandle(), work == null ? "?" : work.subject());
            }
            kinds = k;
            subjects = s;
            entries = received.messages().size();
        } else if (request instanceof DeleteMessageBatchRequest delete) {
            entries = delete.entries().size();
            subjects = delete.entries().stream()
                    .map(e -> handles.getOrDefault(e.receiptHandle(), "?"))
                    .toList();
        } else if (request instanceof DeleteMessageRequest delete) {
            subjects = List.of(handles.getOrDefault(delete.receiptHandle(), "?"));
        }
        calls.add(new Call(start, System.nanoTime(), phase.get(), action, entries, kinds, subjects, delay));
    }

    private static Work work(String body) {
        try {
            return WorkMessages.decode(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The overload of {@code method} that takes the request itself rather than a consumer of its builder. */
    private static Method requestMethod(Method method) throws NoSuchMethodException {
        for (Method m : SqsClient.class.getMethods()) {
            if (m.getName().equals(method.getName())
                    && m.getParameterCount() == 1
                    && SqsRequest.class.isAssignableFrom(m.getParameterTypes()[0])) {
                return m;
            }
        }
        throw new NoSuchMethodException(method.getName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object build(Class<?> requestType, Consumer builder) throws ReflectiveOperationException {
        Method builderMethod = requestType.getMethod("builder");
        Object b = builderMethod.invoke(null);
        builder.accept(b);
        return builderMethod.getReturnType().getMethod("build").invoke(b);
    }

    /** Counts of calls by action; a receive that returned nothing is {@code ReceiveMessage (empty)}. */
    static Map<String, Integer> byAction(List<Call> calls) {
        Map<String, Integer> out = new TreeMap<>();
        for (Call c : calls) {
            String action =
                    c.action().equals("ReceiveMessage") && c.entries() == 0 ? "ReceiveMessage (empty)" : c.action();
            out.merge(action, 1, Integer::sum);
        }
        return out;
    }
}
