package app.visage.queue.memory;

import app.visage.jobs.model.Work;
import app.visage.jobs.port.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The work queue in memory, on a test's clock, for the fast tests of the core: a message becomes visible when
 * its delay has passed on that clock. The pipeline's tests use the real queue (ElasticMQ) instead.
 */
public final class MemoryWorkQueue implements WorkQueue {
    private final Clock clock;
    private final List<Message> messages = new ArrayList<>();
    private int sent;
    private int failNext;

    public MemoryWorkQueue(Clock clock) {
        this.clock = clock;
    }

    /** A message and when it becomes visible. */
    public record Message(Work work, Instant visibleAt) {}

    @Override
    public synchronized void send(Work work, Duration delay) {
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("delay out of the queue's range: " + delay);
        }
        if (failNext > 0) {
            failNext--;
            throw new IllegalStateException("the queue refused the message");
        }
        sent++;
        long seconds = delay.toSeconds() + (delay.toNanosPart() > 0 ? 1 : 0);
        messages.add(new Message(work, clock.instant().plusSeconds(seconds)));
    }

    /** The next {@code n} sends fail, as a queue that is down. */
    public synchronized void failNextSends(int n) {
        failNext = n;
    }

    /** Takes the earliest message visible now, if any. */
    public synchronized Optional<Message> receive() {
        Instant now = clock.instant();
        Optional<Message> next = messages.stream()
                .filter(m -> !m.visibleAt().isAfter(now))
                .min(Comparator.comparing(Message::visibleAt));
        next.ifPresent(messages::remove);
        return next;
    }

    /** Loses every message not yet received, as a queue that dropped them. */
    public synchronized void lose() {
        messages.clear();
    }

    /** Every message not yet received, visible or not. */
    public synchronized List<Message> pending() {
        return List.copyOf(messages);
    }

    public synchronized int sent() {
        return sent;
    }
}
