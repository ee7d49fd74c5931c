package otp4j.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import otp4j.runtime.Matcher;

/**
 * The mailbox against a plain list: random sequences of sends, selective receives, marks and
 * flushes must leave both holding the same messages in the same order, and return the same
 * results. Exercises the save list's holes, growth, compaction and mark bookkeeping.
 */
class MailboxModelTest {

    /** The model: a list, and a mark as the number of messages that were before it. */
    private static final class Model {
        final List<Integer> messages = new ArrayList<>();
        Object markKey;
        int markIndex;

        Integer take(int index) {
            if (index < markIndex) {
                markIndex--;
            }
            return messages.remove(index);
        }

        Integer select(int modulus, int residue, Object key) {
            int from = key != null && key == markKey ? markIndex : 0;
            for (int i = from; i < messages.size(); i++) {
                if (messages.get(i) % modulus == residue) {
                    return take(i);
                }
            }
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99_999})
    void behavesLikeAList(long seed) {
        Random rnd = new Random(seed);
        Mailbox box = new Mailbox();
        Model model = new Model();
        Object[] keys = {new Object(), new Object(), new Object()};
        int next = 0;
        for (int step = 0; step < 20_000; step++) {
            // Sends outnumber receives until the mailbox holds a few hundred messages, then
            // receives catch up: the save list grows, fills with holes, compacts and shrinks.
            int op = model.messages.size() > 400 ? 45 + rnd.nextInt(55) : rnd.nextInt(100);
            if (op < 45) {
                int burst = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 100 : 4);
                for (int i = 0; i < burst; i++) {
                    box.offer(next);
                    model.messages.add(next);
                    next++;
                }
            } else if (op < 80) {
                int modulus = 1 + rnd.nextInt(7);
                int residue = rnd.nextInt(modulus);
                Object key = rnd.nextBoolean() ? keys[rnd.nextInt(keys.length)] : null;
                Matcher<Integer> m = msg -> ((Integer) msg) % modulus == residue ? (Integer) msg : null;
                assertThat(box.select(m, key)).as("step %d select", step).isEqualTo(model.select(modulus, residue, key));
            } else if (op < 88) {
                Object expected = model.messages.isEmpty() ? null : model.take(0);
                assertThat(box.takeFirst()).as("step %d poll", step).isEqualTo(expected);
            } else if (op < 94) {
                Object key = keys[rnd.nextInt(keys.length)];
                box.mark(key);
                model.markKey = key;
                model.markIndex = model.messages.size();
            } else if (op < 97) {
                int residue = rnd.nextInt(5);
                boolean expected = false;
                for (int i = 0; i < model.messages.size(); i++) {
                    if (model.messages.get(i) % 5 == residue) {
                        model.take(i);
                        expected = true;
                        break;
                    }
                }
                assertThat(box.removeFirst(msg -> ((Integer) msg) % 5 == residue)).isEqualTo(expected);
            } else if (op < 99) {
                // A peek (any thread) must not move messages: it is checked before the snapshot,
                // which drains incoming into the save list, is taken on some steps but not others.
                int limit = rnd.nextInt(model.messages.size() + 2);
                assertThat(box.peek(limit)).as("step %d peek", step)
                        .isEqualTo(model.messages.subList(0, Math.min(limit, model.messages.size())));
            } else {
                assertThat(box.snapshot()).as("step %d snapshot", step).isEqualTo(model.messages);
            }
            assertThat(box.messageCount()).as("step %d size", step).isEqualTo(model.messages.size());
        }
        assertThat(box.snapshot()).isEqualTo(model.messages);
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 10_000})
    void aReceiveAfterAMarkNeverLooksAtOlderMessages(int older) {
        Mailbox box = new Mailbox();
        for (int i = 0; i < older; i++) {
            box.offer("old " + i);
        }
        Object key = new Object();
        box.mark(key);
        box.offer("reply");
        int[] looked = new int[1];
        Object got = box.select(msg -> {
            looked[0]++;
            return msg.equals("reply") ? msg : null;
        }, key);
        assertThat(got).isEqualTo("reply");
        assertThat(looked[0]).isEqualTo(1);
        assertThat(box.messageCount()).isEqualTo(older);
    }

    @Test
    void aMatcherThatThrowsLeavesTheMessageInPlace() {
        Mailbox box = new Mailbox();
        box.offer("a");
        box.offer("b");
        box.offer("c");
        Matcher<Object> failOnB = msg -> {
            if (msg.equals("b")) {
                throw new IllegalStateException("no b");
            }
            return null;
        };
        assertThatThrownBy(() -> box.select(failOnB, null))
                .hasMessage("no b");
        assertThat(box.snapshot()).containsExactly("a", "b", "c");
        Object b = box.select(msg -> msg.equals("b") ? msg : null, null);
        assertThat(b).isEqualTo("b");
        assertThat(box.snapshot()).containsExactly("a", "c");
    }
}
