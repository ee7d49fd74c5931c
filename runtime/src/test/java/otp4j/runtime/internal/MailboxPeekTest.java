package otp4j.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import otp4j.runtime.Matcher;

/**
 * A peek from another thread sees the mailbox as it was at one moment, while the owner's
 * selective receives move messages into the save list, take them out of its middle, compact and
 * grow it. One producer sends increasing numbers, so every consistent view of the mailbox is
 * strictly increasing; a view torn between two states of the save list would repeat a message or
 * put an older one after a newer one.
 */
class MailboxPeekTest {
    private static final int MESSAGES = 100_000;
    /**
     * The producer waits while the mailbox holds this many: each select scans the save list, and
     * a short one often fills (compaction, growth) and empties (positions reset).
     */
    private static final int BACKLOG = 12;

    @Test
    void aPeekRacingSelectiveReceivesIsAlwaysOneStateOfTheMailbox() throws Exception {
        Mailbox box = new Mailbox();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        AtomicLong peeks = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);

        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < MESSAGES; i++) {
                while (box.messageCount() > BACKLOG) {
                    Thread.onSpinWait();
                }
                box.offer(i);
            }
        });
        // The owner takes multiples of 3 first, leaving the others in the save list, and now and
        // then the oldest message or one from the middle: holes, compaction and growth.
        Thread owner = Thread.ofPlatform().start(() -> {
            started.countDown();
            int taken = 0;
            int step = 0;
            Matcher<Integer> third = m -> (Integer) m % 3 == 0 ? (Integer) m : null;
            Matcher<Integer> seven = m -> (Integer) m % 7 == 1 ? (Integer) m : null;
            while (taken < MESSAGES) {
                // Selects alone would fill the save list for good; the oldest goes once it is long.
                Object got = box.messageCount() > BACKLOG / 2 ? box.takeFirst() : switch (step++ % 4) {
                    case 0, 1 -> box.select(third, null);
                    case 2 -> box.select(seven, null);
                    default -> box.takeFirst();
                };
                if (got != null) {
                    taken++;
                }
            }
            done.set(true);
        });
        started.await();
        while (!done.get() && torn.get() == null) {
            List<Object> view = box.peek(64);
            peeks.incrementAndGet();
            seen.addAndGet(view.size());
            for (int i = 1; i < view.size(); i++) {
                if ((Integer) view.get(i - 1) >= (Integer) view.get(i)) {
                    torn.set("peek " + peeks.get() + ": " + view);
                    break;
                }
            }
        }
        producer.join();
        owner.join();
        assertThat(torn.get()).as("a torn view").isNull();
        assertThat(peeks.get()).isPositive();
        assertThat(seen.get()).as("messages seen by peeks").isPositive();
        assertThat(box.peek(10)).isEmpty();
    }
}
