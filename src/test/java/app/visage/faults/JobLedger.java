package app.visage.faults;

import static org.assertj.core.api.Assertions.assertThat;

import app.visage.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * A job's life as S3 saw it: every state its record was written in, read from the bodies of the record
 * writes that reached S3 through the fault proxy (including those whose answer was dropped).
 */
final class JobLedger {
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

    private JobLedger() {}

    /** The statuses of every write of {@code jobs/{id}.json} that S3 performed, in order. */
    static List<String> statuses(S3FaultProxy proxy, String id) {
        return proxy.log("PUT", "jobs/" + id + ".json").stream()
                .filter(S3FaultProxy.Exchange::landed)
                .map(e -> {
                    try {
                        return Json.MAPPER.readTree(e.body()).path("status").asText();
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                })
                .toList();
    }

    /** The job's id, for a job whose submit call did not answer with it: the first record created since the reset. */
    static String firstCreatedJob(S3FaultProxy proxy) {
        return proxy.log().stream()
                .filter(e ->
                        e.method().equals("PUT") && e.key() != null && e.key().startsWith("jobs/") && e.landed())
                .map(e -> e.key().substring("jobs/".length(), e.key().length() - ".json".length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no job record was created"));
    }

    /**
     * The record reached {@code terminal} and no other terminal state, ever: once ended, every later write
     * (a client webhook attempt, expiry) keeps it ended the same way.
     */
    static void assertEndedOnceAs(S3FaultProxy proxy, String id, String terminal) {
        List<String> statuses = statuses(proxy, id);
        assertThat(statuses).as("states written for %s", id).contains(terminal);
        int end = statuses.indexOf(terminal);
        assertThat(statuses.subList(0, end))
                .as("states before the end of %s", id)
                .noneMatch(TERMINAL::contains);
        assertThat(statuses.subList(end, statuses.size()))
                .as("states after the end of %s", id)
                .allMatch(s -> s.equals(terminal) || s.equals("expired"));
    }
}
