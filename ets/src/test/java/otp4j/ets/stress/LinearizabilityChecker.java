package otp4j.ets.stress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A linearizability checker for histories of single-key operations on a {@code SET} or
 * {@code ORDERED_SET} table with {@code Long} values: Wing and Gong's search, with Lowe's
 * memoisation of (operations linearized so far, model state), as in Porcupine.
 *
 * <p>A history is checked key by key: each operation here touches one key, and linearizability is
 * local (a history is linearizable if and only if its restriction to each object is), so the
 * keys of a table are independent objects. For one key, the checker searches for a sequential
 * order of the operations that respects real time (an operation that responded before another
 * was invoked comes first) and in which every operation's result is what the sequential model of
 * one key (absent, or one value) gives.
 */
final class LinearizabilityChecker {
    private LinearizabilityChecker() {}

    /** The result of {@code updateCounter} without a default on a missing key: a {@code BadArgException}. */
    static final String BADARG = "badarg";

    /** The operations, each with its sequential specification in {@link Op}. */
    enum Kind {
        /** {@code insert(k, arg)}; result {@code null}. */
        INSERT,
        /** {@code insertNew(k, arg)}; result a {@code Boolean}. */
        INSERT_NEW,
        /** {@code lookup(k)}; result the {@code List<Long>} returned. */
        LOOKUP,
        /** {@code take(k)}; result the {@code List<Long>} returned. */
        TAKE,
        /** {@code delete(k)}; result {@code null}. */
        DELETE,
        /** {@code updateCounter(k, arg)}; result the new {@code Long}, or {@link #BADARG}. */
        UPDATE_COUNTER,
        /** {@code updateCounter(k, arg, initial)}; result the new {@code Long}. */
        UPDATE_COUNTER_OR_INSERT,
        /** {@code deleteObject(k, arg)}; result {@code null}. */
        DELETE_OBJECT,
        /** {@code updateElement(k, v -> 2 * v + arg)}; result the {@code Boolean} returned. */
        UPDATE_ELEMENT
    }

    /**
     * One completed operation: which process ran it, on which key, its arguments, its result,
     * and when it was invoked and when it responded ({@link System#nanoTime()}, taken just before
     * the call and just after it returned).
     */
    record Op(int process, Object key, Kind kind, long arg, long initial, Object result, long invoked,
            long responded) {
        Op {
            Objects.requireNonNull(key);
            Objects.requireNonNull(kind);
            if (responded < invoked) {
                throw new IllegalArgumentException("responded before invoked: " + invoked + " > " + responded);
            }
        }

        /** {@return whether this operation, run alone on a key in state {@code s} (null: absent), gives its result} */
        boolean legalFrom(Long s) {
            return switch (kind) {
                case INSERT, DELETE -> result == null;
                case INSERT_NEW -> Boolean.valueOf(s == null).equals(result);
                case LOOKUP, TAKE -> contents(s).equals(result);
                case UPDATE_COUNTER -> s == null ? BADARG.equals(result) : Long.valueOf(s + arg).equals(result);
                case UPDATE_COUNTER_OR_INSERT -> Long.valueOf((s == null ? initial : s) + arg).equals(result);
                case DELETE_OBJECT -> result == null;
                case UPDATE_ELEMENT -> Boolean.valueOf(s != null).equals(result);
            };
        }

        /** {@return the key's state after this operation runs alone on it in state {@code s}} */
        Long after(Long s) {
            return switch (kind) {
                case INSERT -> arg;
                case INSERT_NEW -> s == null ? arg : s;
                case LOOKUP -> s;
                case TAKE, DELETE -> null;
                case UPDATE_COUNTER -> s == null ? null : s + arg;
                case UPDATE_COUNTER_OR_INSERT -> (s == null ? initial : s) + arg;
                case DELETE_OBJECT -> s != null && s == arg ? null : s;
                case UPDATE_ELEMENT -> s == null ? null : updated(s, arg);
            };
        }

        /** updateElement's function, with its argument. */
        static long updated(long v, long arg) {
            return 2 * v + arg;
        }

        private static List<Long> contents(Long s) {
            return s == null ? List.of() : List.of(s);
        }

        /** {@return the call and its result, as {@code insertNew(7) -> false}} */
        String call() {
            String args = switch (kind) {
                case INSERT -> "insert(" + arg + ")";
                case INSERT_NEW -> "insertNew(" + arg + ")";
                case LOOKUP -> "lookup()";
                case TAKE -> "take()";
                case DELETE -> "delete()";
                case UPDATE_COUNTER -> "updateCounter(" + arg + ")";
                case UPDATE_COUNTER_OR_INSERT -> "updateCounter(" + arg + ", default " + initial + ")";
                case DELETE_OBJECT -> "deleteObject(" + arg + ")";
                case UPDATE_ELEMENT -> "updateElement(v -> 2 * v + " + arg + ")";
            };
            return result == null ? args : args + " -> " + result;
        }
    }

    /** A key whose operations are not linearizable, and all its operations. */
    record Violation(Object key, List<Op> ops) {
        @Override
        public String toString() {
            return "key " + key + " is not linearizable; its operations:\n" + describe(ops);
        }
    }

    /** {@return empty if {@code history} is linearizable, else the first key whose operations are not} */
    static Optional<Violation> check(List<Op> history) {
        Map<Object, List<Op>> byKey = new LinkedHashMap<>();
        for (Op op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<Object, List<Op>> e : byKey.entrySet()) {
            if (!linearizable(e.getValue())) {
                return Optional.of(new Violation(e.getKey(), List.copyOf(e.getValue())));
            }
        }
        return Optional.empty();
    }

    /** {@return the operations in order of invocation, one a line, times in microseconds from the first invocation} */
    static String describe(List<Op> ops) {
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Op::invoked));
        long t0 = sorted.isEmpty() ? 0 : sorted.get(0).invoked();
        StringBuilder b = new StringBuilder();
        for (Op op : sorted) {
            b.append(String.format("  process %d  [%9.1f, %9.1f] us  %s%n", op.process(),
                    (op.invoked() - t0) / 1e3, (op.responded() - t0) / 1e3, op.call()));
        }
        return b.toString();
    }

    /** A call or a return in the history, in a doubly linked list ordered by time. */
    private static final class Event {
        final Op op;
        final int id;
        final boolean call;
        final long time;
        Event match;
        Event prev;
        Event next;

        Event(Op op, int id, boolean call, long time) {
            this.op = op;
            this.id = id;
            this.call = call;
            this.time = time;
        }

        /** Takes this call and its return out of the list. */
        void lift() {
            prev.next = next;
            next.prev = prev;
            match.prev.next = match.next;
            if (match.next != null) {
                match.next.prev = match.prev;
            }
        }

        /** Puts this call and its return back where {@link #lift} took them from. */
        void unlift() {
            match.prev.next = match;
            if (match.next != null) {
                match.next.prev = match;
            }
            prev.next = this;
            next.prev = this;
        }
    }

    private record Memo(BitSet linearized, Long state) {}

    private record Frame(Event call, Long state, BitSet linearized) {}

    /**
     * {@return whether the operations on one key, initially absent, are linearizable} The search
     * walks the calls in time order; it may linearize any call that comes before the first return
     * still in the list (no operation still to be placed responded before it was invoked), if its
     * result fits the model state. Reaching a return means that operation can no longer be placed:
     * backtrack. A (set of linearized operations, state) already explored is not explored again.
     */
    static boolean linearizable(List<Op> ops) {
        List<Event> events = new ArrayList<>(2 * ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Event c = new Event(op, i, true, op.invoked());
            Event r = new Event(op, i, false, op.responded());
            c.match = r;
            r.match = c;
            events.add(c);
            events.add(r);
        }
        // At equal times, calls first: an operation that responded at the very instant another was
        // invoked is not known to precede it, so the two are taken as concurrent.
        events.sort(Comparator.comparingLong((Event e) -> e.time).thenComparing(e -> !e.call));
        Event head = new Event(null, -1, false, Long.MIN_VALUE);
        Event last = head;
        for (Event e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }
        Long state = null;
        BitSet linearized = new BitSet(ops.size());
        Set<Memo> seen = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        Event e = head.next;
        while (head.next != null) {
            if (e.call) {
                if (e.op.legalFrom(state)) {
                    Long next = e.op.after(state);
                    BitSet more = (BitSet) linearized.clone();
                    more.set(e.id);
                    if (seen.add(new Memo(more, next))) {
                        stack.push(new Frame(e, state, linearized));
                        state = next;
                        linearized = more;
                        e.lift();
                        e = head.next;
                        continue;
                    }
                }
                e = e.next;
            } else {
                if (stack.isEmpty()) {
                    return false;
                }
                Frame f = stack.pop();
                state = f.state();
                linearized = f.linearized();
                f.call().unlift();
                e = f.call().next;
            }
        }
        return true;
    }
}
