package otp4j.ets.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static otp4j.ets.stress.LinearizabilityChecker.BADARG;
import static otp4j.ets.stress.LinearizabilityChecker.Kind.DELETE;
import static otp4j.ets.stress.LinearizabilityChecker.Kind.INSERT;
import static otp4j.ets.stress.LinearizabilityChecker.Kind.INSERT_NEW;
import static otp4j.ets.stress.LinearizabilityChecker.Kind.LOOKUP;
import static otp4j.ets.stress.LinearizabilityChecker.Kind.TAKE;
import static otp4j.ets.stress.LinearizabilityChecker.Kind.UPDATE_COUNTER;
import static otp4j.ets.stress.LinearizabilityChecker.Kind.UPDATE_COUNTER_OR_INSERT;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import otp4j.ets.stress.LinearizabilityChecker.Kind;
import otp4j.ets.stress.LinearizabilityChecker.Op;

/** The checker on hand-made histories: it accepts linearizable ones and rejects the others. */
class LinearizabilityCheckerTest {

    private static Op op(int process, Kind kind, long arg, Object result, long invoked, long responded) {
        return new Op(process, "k", kind, arg, 0, result, invoked, responded);
    }

    private static boolean ok(Op... ops) {
        return LinearizabilityChecker.check(List.of(ops)).isEmpty();
    }

    @Test
    void aLookupMayReturnAnOverlappingInsertsValueOrNot() {
        assertThat(ok(op(0, INSERT, 5, null, 0, 10), op(1, LOOKUP, 0, List.of(5L), 1, 2))).isTrue();
        assertThat(ok(op(0, INSERT, 5, null, 0, 10), op(1, LOOKUP, 0, List.of(), 1, 2))).isTrue();
    }

    @Test
    void aLookupCannotSeeAValueBeforeItsInsertWasInvoked() {
        assertThat(ok(op(0, LOOKUP, 0, List.of(5L), 0, 5), op(1, INSERT, 5, null, 10, 20))).isFalse();
        // Nor a value nobody inserted.
        assertThat(ok(op(0, INSERT, 5, null, 0, 10), op(1, LOOKUP, 0, List.of(6L), 1, 2))).isFalse();
    }

    @Test
    void aReadCannotGoBackInTime() {
        // The first lookup saw the insert, so it took effect before 2; a lookup invoked at 3 must see it too.
        Op insert = op(0, INSERT, 5, null, 0, 10);
        Op sawIt = op(1, LOOKUP, 0, List.of(5L), 1, 2);
        assertThat(ok(insert, sawIt, op(1, LOOKUP, 0, List.of(), 3, 4))).isFalse();
        // Overlapping the first lookup, the second may still miss it.
        assertThat(ok(insert, sawIt, op(2, LOOKUP, 0, List.of(), 1, 4))).isTrue();
    }

    @Test
    void twoTakesCannotBothRemoveTheOneValue() {
        Op insert = op(0, INSERT, 5, null, 0, 1);
        assertThat(ok(insert, op(1, TAKE, 0, List.of(5L), 2, 10), op(2, TAKE, 0, List.of(5L), 3, 11))).isFalse();
        assertThat(ok(insert, op(1, TAKE, 0, List.of(5L), 2, 10), op(2, TAKE, 0, List.of(), 3, 11))).isTrue();
        assertThat(ok(insert, op(1, TAKE, 0, List.of(), 2, 10), op(2, TAKE, 0, List.of(5L), 3, 11))).isTrue();
    }

    @Test
    void counterIncrementsAreNotLost() {
        Op zero = op(0, INSERT, 0, null, 0, 1);
        assertThat(ok(zero, op(1, UPDATE_COUNTER, 1, 1L, 2, 5), op(2, UPDATE_COUNTER, 1, 1L, 3, 6))).isFalse();
        // Overlapping, either may come first, whatever the invocation order.
        assertThat(ok(zero, op(1, UPDATE_COUNTER, 1, 2L, 2, 5), op(2, UPDATE_COUNTER, 1, 1L, 3, 6))).isTrue();
        // Not overlapping, the first invoked comes first.
        assertThat(ok(zero, op(1, UPDATE_COUNTER, 1, 2L, 2, 3), op(2, UPDATE_COUNTER, 1, 1L, 4, 6))).isFalse();
    }

    @Test
    void updateCounterOnAMissingKeyIsBadargOrStartsFromTheDefault() {
        assertThat(ok(op(0, UPDATE_COUNTER, 1, BADARG, 0, 1))).isTrue();
        assertThat(ok(op(0, UPDATE_COUNTER, 1, 1L, 0, 1))).isFalse();
        assertThat(ok(op(0, INSERT, 3, null, 0, 1), op(0, UPDATE_COUNTER, 1, BADARG, 2, 3))).isFalse();
        assertThat(ok(new Op(0, "k", UPDATE_COUNTER_OR_INSERT, 2, 10, 12L, 0, 1))).isTrue();
        assertThat(ok(op(0, INSERT, 3, null, 0, 1), new Op(0, "k", UPDATE_COUNTER_OR_INSERT, 2, 10, 5L, 2, 3)))
                .isTrue();
        assertThat(ok(op(0, INSERT, 3, null, 0, 1), new Op(0, "k", UPDATE_COUNTER_OR_INSERT, 2, 10, 12L, 2, 3)))
                .isFalse();
    }

    @Test
    void insertNewSucceedsOnlyOnAnAbsentKey() {
        assertThat(ok(op(0, INSERT_NEW, 1, true, 0, 10), op(1, INSERT_NEW, 2, true, 1, 11))).isFalse();
        assertThat(ok(op(0, INSERT_NEW, 1, true, 0, 10), op(1, INSERT_NEW, 2, false, 1, 11),
                op(2, LOOKUP, 0, List.of(1L), 12, 13))).isTrue();
        // A delete between them lets both succeed, but only if it can come between.
        assertThat(ok(op(0, INSERT_NEW, 1, true, 0, 1), op(1, DELETE, 0, null, 2, 3),
                op(2, INSERT_NEW, 2, true, 4, 5))).isTrue();
        assertThat(ok(op(0, INSERT_NEW, 1, true, 0, 1), op(2, INSERT_NEW, 2, true, 2, 3),
                op(1, DELETE, 0, null, 4, 5))).isFalse();
    }

    @Test
    void keysAreCheckedIndependently() {
        List<Op> h = new ArrayList<>();
        h.add(new Op(0, "a", INSERT, 1, 0, null, 0, 1));
        h.add(new Op(1, "b", LOOKUP, 0, 0, List.of(), 2, 3));
        h.add(new Op(1, "a", LOOKUP, 0, 0, List.of(1L), 4, 5));
        assertThat(LinearizabilityChecker.check(h)).isEmpty();
        h.add(new Op(2, "b", LOOKUP, 0, 0, List.of(1L), 6, 7)); // b was never written
        assertThat(LinearizabilityChecker.check(h)).hasValueSatisfying(v -> {
            assertThat(v.key()).isEqualTo("b");
            assertThat(v.ops()).hasSize(2);
            assertThat(v.toString()).startsWith("key b is not linearizable").contains("process 2", "lookup() -> [1]");
        });
    }

    @Test
    void aLongConcurrentHistoryIsCheckedQuickly() {
        // 4 processes, 50 counter increments each, the four of each round overlapping: many orders to try.
        List<Op> h = new ArrayList<>();
        h.add(op(9, INSERT, 0, null, 0, 1));
        long n = 0;
        for (int i = 0; i < 50; i++) {
            for (int p = 0; p < 4; p++) {
                n++;
                long t = 10L * i + 2;
                h.add(op(p, UPDATE_COUNTER, 1, (long) (4 * i + (3 - p) + 1), t, t + 5));
            }
        }
        assertThat(n).isEqualTo(200);
        assertThat(LinearizabilityChecker.check(h)).isEmpty();
        h.add(op(9, LOOKUP, 0, List.of(199L), 10_000, 10_001)); // one increment lost
        assertThat(LinearizabilityChecker.check(h)).isPresent();
    }
}
