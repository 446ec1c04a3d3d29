package app.visage.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Heap growth while one call runs: {@code System.gc()} first and the heap's use then as the baseline,
 * peaks reset, a thread sampling the heap's use every 0.1 ms, and the heap pools' own peak use
 * (which catches what falls between samples). Also the bytes the calling thread allocated
 * ({@code com.sun.management.ThreadMXBean}), which leaves out other threads (the embedded S3's).
 */
final class HeapProbe {

    /**
     * Growth over the baseline, in bytes: sampled peak, pools' peaks summed, the caller's allocations, and
     * every other thread's (the embedded S3 server's, mostly).
     */
    record Growth(long sampledPeak, long poolPeak, long threadAllocated, long otherThreadsAllocated) {}

    private HeapProbe() {}

    static Growth measure(Runnable call) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            LockSupport.parkNanos(50_000_000);
        }
        long baseline = memory.getHeapMemoryUsage().getUsed();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        AtomicLong peak = new AtomicLong(baseline);
        Thread sampler = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        long used = memory.getHeapMemoryUsage().getUsed();
                        peak.accumulateAndGet(used, Math::max);
                        LockSupport.parkNanos(100_000);
                    }
                },
                "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long self = Thread.currentThread().getId();
        long[] ids = threads.getAllThreadIds();
        long[] before = threads.getThreadAllocatedBytes(ids);
        long allocatedBefore = threads.getThreadAllocatedBytes(self);
        try {
            call.run();
        } finally {
            long allocated = threads.getThreadAllocatedBytes(self) - allocatedBefore;
            long[] after = threads.getThreadAllocatedBytes(ids);
            long others = 0;
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != self && ids[i] != sampler.getId() && before[i] >= 0 && after[i] >= before[i]) {
                    others += after[i] - before[i];
                }
            }
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            sampler.interrupt();
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long poolPeak =
                    pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            return new Growth(peak.get() - baseline, poolPeak - baseline, allocated, others);
        }
    }
}
