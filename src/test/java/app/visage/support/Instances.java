package app.visage.support;

import jakarta.enterprise.inject.Instance;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * A CDI {@link Instance} over fixed beans, for building a bean's real collaborators outside a container
 * (the fuzz tests run without Quarkus). Only iteration and resolution are answered; the rest is not needed.
 */
public final class Instances {
    private Instances() {}

    @SafeVarargs
    @SuppressWarnings("unchecked")
    public static <T> Instance<T> of(T... beans) {
        List<T> list = List.of(beans);
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "iterator" -> list.iterator();
                case "isResolvable" -> list.size() == 1;
                case "isUnsatisfied" -> list.isEmpty();
                case "isAmbiguous" -> list.size() > 1;
                case "get" -> list.getFirst();
                case "toString" -> "Instances" + list;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
            };
        };
        return (Instance<T>)
                Proxy.newProxyInstance(Instances.class.getClassLoader(), new Class<?>[] {Instance.class}, handler);
    }
}
