package app.visage.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The most S3 requests of each type (see {@link S3Requests}) one kind of call may make; a type it does not
 * name may not be made at all. Counts are deterministic where times are not, so the build can hold them.
 */
public record S3Budget(String kind, Map<String, Integer> most) {

    public S3Budget {
        most = new TreeMap<>(most);
    }

    /** Fails, naming every request made, when {@code made} has more of any type than the budget allows. */
    public void check(List<S3Requests.Request> made) {
        Map<String, Long> counts = made.stream()
                .collect(Collectors.groupingBy(S3Requests.Request::type, TreeMap::new, Collectors.counting()));
        List<String> over = new ArrayList<>();
        counts.forEach((type, n) -> {
            int allowed = most.getOrDefault(type, 0);
            if (n > allowed) {
                over.add(type + " " + n + " (budget " + allowed + ")");
            }
        });
        if (!over.isEmpty()) {
            throw new AssertionError(kind + " made more S3 requests than its budget: " + String.join(", ", over)
                    + "\nbudget " + most + ", made " + counts + ":\n  "
                    + made.stream().map(S3Requests.Request::toString).collect(Collectors.joining("\n  ")));
        }
    }
}
