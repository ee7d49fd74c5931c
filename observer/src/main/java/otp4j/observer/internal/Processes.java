package otp4j.observer.internal;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;


/**
 * The processes page: the top N rows of a snapshot by one column, after a filter. Keeps the N
 * best rows in a bounded heap as it goes through the snapshot, O(size log N), instead of
 * sorting every process on every refresh.
 */
final class Processes {
    private Processes() {}

    /** The columns a page can be sorted by, as the API names them. */
    static final Set<String> COLUMNS = Set.of("pid", "name", "status", "messageQueueLength", "memory",
            "reductions", "reductionsDelta", "messagesReceived", "messagesReceivedDelta");

    /** The most rows one page returns. */
    static final int MAX_LIMIT = 500;

    /** Compares rows i and j of a snapshot: negative when i comes first. */
    @FunctionalInterface
    interface RowOrder {
        int compare(int i, int j);
    }

    static RowOrder order(ProcessSnapshot s, String column, boolean descending) {
        RowOrder by = switch (column) {
            case "pid" -> (i, j) -> Long.compare(s.serial[i], s.serial[j]);
            case "name" -> (i, j) -> label(s, i).compareTo(label(s, j));
            case "status" -> (i, j) -> Integer.compare(s.status[i], s.status[j]);
            case "messageQueueLength" -> (i, j) -> Integer.compare(s.queue[i], s.queue[j]);
            case "memory" -> (i, j) -> Long.compare(s.memory[i], s.memory[j]);
            case "reductions" -> (i, j) -> Long.compare(s.reductions[i], s.reductions[j]);
            case "reductionsDelta" -> (i, j) -> Long.compare(s.reductionsDelta[i], s.reductionsDelta[j]);
            case "messagesReceived" -> (i, j) -> Long.compare(s.received[i], s.received[j]);
            case "messagesReceivedDelta" -> (i, j) -> Long.compare(s.receivedDelta[i], s.receivedDelta[j]);
            default -> throw new IllegalArgumentException("no column " + column);
        };
        RowOrder directed = descending ? (i, j) -> by.compare(j, i) : by;
        // Ties in pid order, so that equal rows keep their place from one refresh to the next.
        return (i, j) -> {
            int c = directed.compare(i, j);
            return c != 0 ? c : Long.compare(s.serial[i], s.serial[j]);
        };
    }

    /** {@return the registered name, else the behaviour or initial call: what the Name column shows} */
    static String label(ProcessSnapshot s, int i) {
        return s.name[i] != null ? s.name[i] : Trees.behaviourOrCall(s, i);
    }

    /** The rows of a page and how many matched the filter. */
    record Page(int[] rows, int matched) {
    }

    /** {@return the first {@code limit} rows by {@code order} among those matching {@code filter}} */
    static Page top(ProcessSnapshot s, RowOrder order, int limit, String filter) {
        String needle = filter == null || filter.isEmpty() ? null : filter.toLowerCase(Locale.ROOT);
        // A pid is printed from digits, dots and angle brackets: only such a needle can be in one.
        boolean pidLike = needle != null && needle.chars().allMatch(c -> c == '<' || c == '>' || c == '.'
                || c >= '0' && c <= '9');
        // Initial calls are shared strings (see ProcessSnapshot): each is matched once.
        IdentityHashMap<String, Boolean> callMatches = new IdentityHashMap<>();
        // A max-heap by order: its root is the worst row kept, the one a better row replaces.
        int[] heap = new int[Math.min(limit, s.size)];
        int n = 0;
        int matched = 0;
        for (int i = 0; i < s.size; i++) {
            if (needle != null && !matches(s, i, needle, pidLike, callMatches)) {
                continue;
            }
            matched++;
            if (n < heap.length) {
                heap[n] = i;
                up(heap, n++, order);
            } else if (n > 0 && order.compare(i, heap[0]) < 0) {
                heap[0] = i;
                down(heap, n, order);
            }
        }
        Integer[] boxed = new Integer[n];
        for (int k = 0; k < n; k++) {
            boxed[k] = heap[k];
        }
        Arrays.sort(boxed, order::compare);
        int[] rows = new int[n];
        for (int k = 0; k < n; k++) {
            rows[k] = boxed[k];
        }
        return new Page(rows, matched);
    }

    private static boolean matches(ProcessSnapshot s, int i, String needle, boolean pidLike,
                                   IdentityHashMap<String, Boolean> callMatches) {
        return pidLike && s.pid[i].toString().contains(needle)
                || s.name[i] != null && s.name[i].toLowerCase(Locale.ROOT).contains(needle)
                || callMatches.computeIfAbsent(s.initialCall[i], c -> c.toLowerCase(Locale.ROOT).contains(needle))
                || s.behaviour[i] != null && s.behaviour[i].getName().toLowerCase(Locale.ROOT).contains(needle);
    }

    private static void up(int[] h, int k, RowOrder order) {
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (order.compare(h[k], h[parent]) <= 0) {
                return;
            }
            swap(h, k, parent);
            k = parent;
        }
    }

    private static void down(int[] h, int n, RowOrder order) {
        int k = 0;
        for (;;) {
            int l = 2 * k + 1;
            if (l >= n) {
                return;
            }
            int worst = l + 1 < n && order.compare(h[l + 1], h[l]) > 0 ? l + 1 : l;
            if (order.compare(h[worst], h[k]) <= 0) {
                return;
            }
            swap(h, k, worst);
            k = worst;
        }
    }

    private static void swap(int[] h, int a, int b) {
        int t = h[a];
        h[a] = h[b];
        h[b] = t;
    }

    /**
     * {@return where a process is in its own code: the first frame of {@code stack} outside the
     * JDK and the runtime}. Only the process page shows it, from the one stack it captures:
     * capturing a virtual thread's stack stops its carrier (when mounted) or holds it off its
     * carriers and submits it again (when not), so the processes page, refreshed every interval
     * for its N busiest rows, would disturb exactly the processes it watches.
     */
    static String currentFunction(List<StackTraceElement> stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")
                    && !c.startsWith("otp4j.runtime.")) {
                return c + "." + e.getMethodName() + (e.getLineNumber() > 0 ? ":" + e.getLineNumber() : "");
            }
        }
        return stack.isEmpty() ? "" : stack.getFirst().getClassName() + "." + stack.getFirst().getMethodName();
    }
}
