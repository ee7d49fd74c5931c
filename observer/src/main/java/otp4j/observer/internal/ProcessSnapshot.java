package otp4j.observer.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.ProcessStatus;
import otp4j.runtime.internal.Introspection;

/**
 * Every live process of a node at one sample, column by column, in serial order, with each
 * counter's change since the previous sample. Immutable once built; built by one walk of the
 * process table, joined with the previous snapshot by serial (both are in serial order), so a
 * process's initial call is worked out once, when it is first seen, and deltas need no map.
 */
public final class ProcessSnapshot {
    private static final ProcessStatus[] STATUSES = ProcessStatus.values();
    /** Distinct initial calls kept before the shared strings start afresh. */
    private static final int MAX_CALLS = 10_000;

    public final long takenAtNanos;
    /** Nanoseconds since the previous snapshot; 0 for the first, whose deltas are all 0. */
    public final long intervalNanos;
    public final int size;
    public final long[] serial;
    public final Pid[] pid;
    public final String[] name;
    public final String[] initialCall;
    public final Class<?>[] behaviour;
    public final byte[] status;
    public final int[] queue;
    public final long[] memory;
    public final long[] reductions;
    public final long[] reductionsDelta;
    public final long[] received;
    public final long[] receivedDelta;
    /** One string per distinct initial call, shared by the processes that have it. */
    final Map<String, String> calls;
    /** Sums over the snapshot. */
    public final long totalMemory;
    public final long totalReductionsDelta;
    public final long totalReceivedDelta;

    private ProcessSnapshot(Builder b, long takenAtNanos, long intervalNanos) {
        // The builder's arrays, not copies: a snapshot of a million processes is a hundred
        // megabytes, and the builder is dropped here. Rows at and past size are unused.
        this.takenAtNanos = takenAtNanos;
        this.intervalNanos = intervalNanos;
        this.size = b.n;
        this.serial = b.serial;
        this.pid = b.pid;
        this.name = b.name;
        this.initialCall = b.initialCall;
        this.behaviour = b.behaviour;
        this.status = b.status;
        this.queue = b.queue;
        this.memory = b.memory;
        this.reductions = b.reductions;
        this.reductionsDelta = b.reductionsDelta;
        this.received = b.received;
        this.receivedDelta = b.receivedDelta;
        this.calls = b.calls;
        long mem = 0;
        long red = 0;
        long rec = 0;
        for (int i = 0; i < size; i++) {
            mem += memory[i];
            red += reductionsDelta[i];
            rec += receivedDelta[i];
        }
        this.totalMemory = mem;
        this.totalReductionsDelta = red;
        this.totalReceivedDelta = rec;
    }

    public ProcessStatus status(int i) {
        return STATUSES[status[i]];
    }

    /** {@return the row of {@code serial}, or -1} */
    public int indexOf(long s) {
        int i = Arrays.binarySearch(serial, 0, size, s);
        return i >= 0 ? i : -1;
    }

    /** Walks {@code node}'s processes into a new snapshot, with deltas against {@code previous}. */
    static ProcessSnapshot take(Node node, ProcessSnapshot previous, int expected, long now) {
        Builder b = new Builder(expected + expected / 8 + 16, previous);
        Introspection.forEachProcess(node, b);
        return new ProcessSnapshot(b, now, previous == null ? 0 : now - previous.takenAtNanos);
    }

    private static final class Builder implements Introspection.ProcessVisitor {
        private final ProcessSnapshot prev;
        private final Map<String, String> calls;
        private int prevAt;
        int n;
        long[] serial;
        Pid[] pid;
        String[] name;
        String[] initialCall;
        Class<?>[] behaviour;
        byte[] status;
        int[] queue;
        long[] memory;
        long[] reductions;
        long[] reductionsDelta;
        long[] received;
        long[] receivedDelta;

        Builder(int capacity, ProcessSnapshot prev) {
            this.prev = prev;
            // Handed from snapshot to snapshot (only the sampling thread builds them); started
            // afresh when it has grown large, so that the calls of processes long gone go too.
            this.calls = prev == null || prev.calls.size() > MAX_CALLS ? new HashMap<>() : prev.calls;
            allocate(Math.max(capacity, 16));
        }

        private void allocate(int c) {
            serial = serial == null ? new long[c] : Arrays.copyOf(serial, c);
            pid = pid == null ? new Pid[c] : Arrays.copyOf(pid, c);
            name = name == null ? new String[c] : Arrays.copyOf(name, c);
            initialCall = initialCall == null ? new String[c] : Arrays.copyOf(initialCall, c);
            behaviour = behaviour == null ? new Class<?>[c] : Arrays.copyOf(behaviour, c);
            status = status == null ? new byte[c] : Arrays.copyOf(status, c);
            queue = queue == null ? new int[c] : Arrays.copyOf(queue, c);
            memory = memory == null ? new long[c] : Arrays.copyOf(memory, c);
            reductions = reductions == null ? new long[c] : Arrays.copyOf(reductions, c);
            reductionsDelta = reductionsDelta == null ? new long[c] : Arrays.copyOf(reductionsDelta, c);
            received = received == null ? new long[c] : Arrays.copyOf(received, c);
            receivedDelta = receivedDelta == null ? new long[c] : Arrays.copyOf(receivedDelta, c);
        }

        @Override
        public void visit(Introspection.ProcessView p) {
            if (n == serial.length) {
                allocate(n + (n >> 1));
            }
            long s = p.serial();
            // The walk and the previous snapshot are both in serial order: advance through the
            // previous one to this serial.
            int old = -1;
            if (prev != null) {
                while (prevAt < prev.size && prev.serial[prevAt] < s) {
                    prevAt++;
                }
                if (prevAt < prev.size && prev.serial[prevAt] == s) {
                    old = prevAt;
                }
            }
            serial[n] = s;
            pid[n] = p.pid();
            name[n] = p.registeredName();
            initialCall[n] = old >= 0 ? prev.initialCall[old] : calls.computeIfAbsent(p.initialCall(), c -> c);
            behaviour[n] = old >= 0 ? prev.behaviour[old] : p.behaviour();
            status[n] = (byte) p.status().ordinal();
            queue[n] = p.messageQueueLength();
            memory[n] = p.memory();
            long red = p.reductions();
            long rec = p.messagesReceived();
            reductions[n] = red;
            received[n] = rec;
            // A process first seen now did all its work since the previous sample (if there
            // was one: the first snapshot has no interval, so no deltas).
            boolean first = prev == null;
            reductionsDelta[n] = first ? 0 : old >= 0 ? Math.max(0, red - prev.reductions[old]) : red;
            receivedDelta[n] = first ? 0 : old >= 0 ? Math.max(0, rec - prev.received[old]) : rec;
            n++;
        }
    }
}
