package otp4j.observer.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import otp4j.runtime.Node;
import otp4j.runtime.SystemInfo;

/**
 * Takes a sample of the node every refresh interval: its counters, the JVM's memory and GC, and
 * a snapshot of every process. Pages read the latest sample, so a page answers without walking
 * the processes, and many clients cost one walk per interval between them. Runs on the
 * observer's own platform thread (see {@link ObserverServer}), never on a carrier.
 */
public final class Sampler {
    /** Samples kept for the load charts: ten minutes at the default interval. */
    static final int HISTORY = 600;

    /**
     * One sample of the node and the JVM.
     *
     * @param reductionsPerSecond the processes' work counters' growth, summed
     * @param messagesPerSecond   messages taken by receives, summed over the processes
     * @param processMemory       the processes' memory estimates, summed
     * @param tableMemory         the tables' memory, by provider kind, in {@link #kinds} order
     */
    public record SystemSample(long epochMillis, int processes, int lingering, int runQueue, int carriers,
                               long spawned, long armedTimers, double reductionsPerSecond,
                               double messagesPerSecond, long heapUsed, long heapCommitted, long heapMax,
                               long nonHeapUsed, long processMemory, long[] tableMemory, long gcCount,
                               long gcMillis, int platformThreads) {
    }

    private final Node node;
    private final List<TableProvider> tables;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final ArrayDeque<SystemSample> history = new ArrayDeque<>();
    // Written by the sampling thread only, read by any: volatile publishes the immutable snapshot.
    private volatile ProcessSnapshot processes;
    private volatile SystemSample latest;

    Sampler(Node node, List<TableProvider> tables) {
        this.node = node;
        this.tables = List.copyOf(tables);
    }

    /** {@return the table kinds, in the order of {@link SystemSample#tableMemory}} */
    public List<String> kinds() {
        return tables.stream().map(TableProvider::kind).toList();
    }

    public ProcessSnapshot processes() {
        return processes;
    }

    public SystemSample latest() {
        return latest;
    }

    /** {@return the samples kept, oldest first} */
    public List<SystemSample> history() {
        lock.lock();
        try {
            return new ArrayList<>(history);
        } finally {
            lock.unlock();
        }
    }

    /** Takes one sample. Called by one thread at a time: the scheduler's, or start before it. */
    void sample() {
        if (node.isClosed()) {
            return;
        }
        SystemInfo info = node.systemInfo();
        long now = System.nanoTime();
        ProcessSnapshot snap = ProcessSnapshot.take(node, processes, info.processCount(), now);
        double seconds = snap.intervalNanos / 1e9;
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        long[] tableMemory = new long[tables.size()];
        for (int i = 0; i < tableMemory.length; i++) {
            tableMemory[i] = tables.get(i).memory();
        }
        SystemSample s = new SystemSample(System.currentTimeMillis(), snap.size, info.lingeringCount(),
                info.runQueue(), info.carriers(), info.spawned(), info.armedTimers(),
                seconds == 0 ? 0 : snap.totalReductionsDelta / seconds,
                seconds == 0 ? 0 : snap.totalReceivedDelta / seconds,
                heap.getUsed(), heap.getCommitted(), heap.getMax(), nonHeap.getUsed(), snap.totalMemory,
                tableMemory, gcCount, gcMillis, ManagementFactory.getThreadMXBean().getThreadCount());
        processes = snap;
        latest = s;
        lock.lock();
        try {
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(s);
        } finally {
            lock.unlock();
        }
    }
}
