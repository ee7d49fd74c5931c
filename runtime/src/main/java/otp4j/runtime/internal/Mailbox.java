package otp4j.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.jctools.queues.atomic.unpadded.MpscUnboundedAtomicUnpaddedArrayQueue;

import otp4j.runtime.Matcher;

/**
 * A process's mailbox: many producers, one consumer (the owning process).
 *
 * <p>Only {@link #offer} and {@link #messageCount} may be called from any thread; everything else
 * is for the owner only. Waking the owner when a message arrives is the caller's business.
 *
 * <p>The mailbox <em>is</em> its queue of incoming messages, and the runtime's process object
 * extends it, rather than each holding the next: a send to a process that has not run for a
 * while misses the cache on every object it goes through, and in a ring of 10,000 processes
 * those misses are most of the cost of a hop. Its {@code Queue} methods ({@code size},
 * {@code poll}, ...) see only the incoming messages, not those a receive has looked at and left.
 */
public class Mailbox extends MpscUnboundedAtomicUnpaddedArrayQueue<Object> {
    /*
     * Overview
     *
     * New messages enter a JCTools MPSC queue ("incoming"). A selective receive moves the
     * messages it looks at and leaves into a private save list, so unmatched messages keep their
     * arrival order for the next receive: the mailbox in order is save list, then incoming. Only
     * the owner touches the save list, so it needs no memory ordering, except its live count,
     * which introspection reads.
     *
     * The save list is a circular array addressed by absolute positions: tail grows with each
     * saved message and a removal leaves a hole (null) instead of shifting, so a position stays
     * valid while the message is there. Head always points at a live message or equals tail.
     *
     * Marks (Erlang's receive-after-ref optimisation): mark() moves every message already in
     * incoming to the save list and remembers the tail position. A receive after the mark then
     * starts scanning at that position: what lies before it arrived before the mark. One mark is
     * kept; a stale key falls back to a full scan, which is slower but still correct.
     * Compaction re-packs the save list and moves the mark with it.
     *
     * Peeking from other threads (process_info(P, messages)) gives a weakly consistent view, as
     * the iterators of java.util.concurrent do: messages in mailbox order, each at most once, each
     * one in the mailbox at some moment of the peek. The reader takes save-list positions from
     * head to tail, then the incoming queue, keeping what it read there only if the owner took
     * nothing from it meanwhile (see addIncoming). Within
     * one layout of the save list a racing append or removal only makes the reader see a slot
     * before or after it changed, which keeps order and never repeats a message; a message the
     * owner moves from incoming to the save list meanwhile may be missed, not seen twice, since
     * the save list is read first. What would break order is a change of layout, compaction or
     * the reset of positions when the list empties: the owner makes a sequence count odd around
     * it (a seqlock), and a reader that saw the count move retries. The owner stores a saved
     * message with release and the reader loads it with acquire, so the message's contents are
     * visible to the reader as they were to the owner; it also stores tail with release, so a
     * reader that has read a tail sees the slots below it as they were stored.
     *
     * Reading guide: producer side (offer, messageCount); consumer side (takeFirst, select, mark);
     * save-list helpers at the end.
     */

    /** Slots per chunk of the incoming queue; small, because most processes hold few messages. */
    private static final int CHUNK = 16;
    /** Initial save-list capacity; must be a power of two. */
    private static final int SAVED_INITIAL = 8;

    /** Attempts at a peek before it yields between attempts, to let a descheduled owner finish. */
    private static final int PEEK_SPINS = 100;
    /** How long a peek tries before it gives up on a save list that keeps changing layout. */
    private static final long PEEK_NANOS = 1_000_000_000L;

    private static final VarHandle SAVED_LIVE;
    private static final VarHandle LAYOUT;
    private static final VarHandle SAVED;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SAVED_LIVE = l.findVarHandle(Mailbox.class, "savedLive", int.class);
            LAYOUT = l.findVarHandle(Mailbox.class, "layout", int.class);
            SAVED = l.findVarHandle(Mailbox.class, "saved", Object[].class);
            HEAD = l.findVarHandle(Mailbox.class, "head", long.class);
            TAIL = l.findVarHandle(Mailbox.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Save list, owner only.
    private Object[] saved;
    private long head;
    private long tail;
    @SuppressWarnings("unused") // accessed through SAVED_LIVE
    private int savedLive;
    /** Odd while the owner changes the save list's layout; see the overview. Owner writes only. */
    @SuppressWarnings("unused") // accessed through LAYOUT
    private int layout;
    private long markPos;
    /** The key of the current mark (a Ref), compared by identity. */
    private Object markKey;
    /** True while a matcher runs: a receive from inside a matcher would corrupt the scan. */
    private boolean selecting;

    /** An empty mailbox. */
    public Mailbox() {
        super(CHUNK);
    }

    // ---------------------------------------------------------------- producer side
    // offer(message), inherited: appends a message. Any thread.

    /** {@return an estimate of the number of messages, incoming and saved; any thread} */
    public final int messageCount() {
        // Opaque: a count that lags by one message is fine for introspection.
        return size() + (int) SAVED_LIVE.getOpaque(this);
    }

    /**
     * {@return up to the first {@code limit} messages in the order a receive would see them,
     * without taking them; any thread}. Weakly consistent: each message at most once, in mailbox
     * order, each one in the mailbox at some moment of the call; a message the owner takes or
     * moves while the call runs (one a receive is matching) may be left out, and then fewer than
     * {@code limit} may be returned though more are queued.
     *
     * @throws IllegalStateException if the owner changed the layout of its saved messages during
     *                               every attempt for a second
     */
    public final List<Object> peek(int limit) {
        List<Object> savedOnly = null; // the last consistent view of the save list alone
        long start = System.nanoTime();
        for (int attempt = 0; attempt < PEEK_SPINS || System.nanoTime() - start < PEEK_NANOS; attempt++) {
            int before = (int) LAYOUT.getAcquire(this);
            if ((before & 1) == 0) {
                // Racing the owner: saved, head and tail may be from different moments, which the
                // layout check below detects; the bounds check keeps a torn view from running long.
                Object[] buf = (Object[]) SAVED.getOpaque(this);
                long from = (long) HEAD.getOpaque(this);
                long to = (long) TAIL.getAcquire(this);
                if (buf == null) {
                    List<Object> out = new ArrayList<>(Math.min(limit, 16));
                    VarHandle.loadLoadFence();
                    if ((int) LAYOUT.getOpaque(this) == before) {
                        if (addIncoming(out, limit)) {
                            return out;
                        }
                        savedOnly = out;
                    }
                } else if (from <= to && to - from <= buf.length) {
                    int mask = buf.length - 1;
                    int n = (int) Math.min(limit, to - from);
                    Object[] got = new Object[n];
                    long[] at = new long[n];
                    int count = 0;
                    long pos = from;
                    for (; pos < to && count < n; pos++) {
                        Object msg = SLOT.getAcquire(buf, (int) pos & mask);
                        if (msg != null) {
                            got[count] = msg;
                            at[count++] = pos;
                        }
                    }
                    VarHandle.loadLoadFence();
                    // A slot read for position p holds p's message, or a hole, as long as head
                    // has not passed p: the owner overwrites it only for position p + length,
                    // which needs head > p. Head only grows within one layout, so positions at
                    // or above its value now were safe throughout; those below were taken
                    // during the scan and are dropped.
                    long head = (long) HEAD.getOpaque(this);
                    if ((int) LAYOUT.getOpaque(this) == before) {
                        int first = 0;
                        while (first < count && at[first] < head) {
                            first++;
                        }
                        List<Object> out = new ArrayList<>(count - first);
                        for (int i = first; i < count; i++) {
                            out.add(got[i]);
                        }
                        // Incoming messages come after every saved one: only when the scan
                        // reached the end of the save list may they follow without a gap.
                        if (pos < to || addIncoming(out, limit)) {
                            return out;
                        }
                        savedOnly = out;
                    }
                }
            }
            if (attempt < PEEK_SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the owner may be off its core in the middle of a change
            }
        }
        if (savedOnly != null) {
            return savedOnly; // the owner kept taking incoming messages: those it had saved
        }
        throw new IllegalStateException("the mailbox was reorganised during every attempt to read it for "
                + PEEK_NANOS / 1_000_000 + " ms; try again");
    }

    /**
     * Appends incoming messages to {@code out} up to {@code limit}; {@return false, with
     * {@code out} as it was, if the owner took any meanwhile}. JCTools' iterator is safe from
     * any thread, but while the consumer polls it can return a newer message before an older
     * one; while the consumer index stands still, only producers move, and they only append.
     */
    private boolean addIncoming(List<Object> out, int limit) {
        int had = out.size();
        if (had >= limit) {
            return true;
        }
        long consumed = currentConsumerIndex();
        for (Object msg : this) {
            out.add(msg);
            if (out.size() == limit) {
                break;
            }
        }
        if (currentConsumerIndex() == consumed) {
            return true;
        }
        out.subList(had, out.size()).clear();
        return false;
    }

    // ---------------------------------------------------------------- consumer side

    /**
     * {@return whether a message has arrived that no receive has looked at yet}. Used after the
     * owner has announced it is about to park: it counts messages whose producer has claimed a
     * slot even if the store is not yet visible, so no wake-up is lost.
     */
    public final boolean hasIncoming() {
        return !isEmpty();
    }

    /** {@return the oldest message, or null if there is none} */
    public final Object takeFirst() {
        checkNotSelecting();
        if (savedLivePlain() > 0) {
            return removeSaved(head);
        }
        return poll();
    }

    /**
     * Takes the oldest message {@code m} accepts, at or after the mark {@code key} when it is
     * the current mark (from the start otherwise), and returns {@code m}'s result; messages it
     * does not accept stay in place. Returns null when nothing is accepted.
     *
     * @param key the key given to {@link #mark(Object)}, or null for a scan of the whole mailbox
     */
    public final <R> R select(Matcher<R> m, Object key) {
        checkNotSelecting();
        selecting = true;
        try {
            if (savedLivePlain() > 0) {
                long from = key != null && key == markKey ? Math.max(markPos, head) : head;
                Object[] buf = saved;
                int mask = buf.length - 1;
                for (long pos = from; pos < tail; pos++) {
                    Object msg = buf[(int) pos & mask];
                    if (msg != null) {
                        R r = m.match(msg);
                        if (r != null) {
                            removeSaved(pos);
                            return r;
                        }
                    }
                }
            }
            Object msg;
            while ((msg = poll()) != null) {
                R r;
                try {
                    r = m.match(msg);
                } catch (Throwable e) {
                    append(msg); // a matcher that throws does not lose the message
                    throw e;
                }
                if (r != null) {
                    return r;
                }
                append(msg);
            }
            return null;
        } finally {
            selecting = false;
        }
    }

    /**
     * Marks the current end of the mailbox under {@code key}: a {@link #select} with this key
     * skips every message that arrived before this call. Replaces the previous mark.
     */
    public final void mark(Object key) {
        checkNotSelecting();
        drainIncoming();
        markPos = tail;
        markKey = key;
    }

    /** Removes the oldest message {@code p} accepts; returns whether there was one. */
    public final boolean removeFirst(Predicate<Object> p) {
        checkNotSelecting();
        drainIncoming();
        if (savedLivePlain() == 0) {
            return false;
        }
        Object[] buf = saved;
        int mask = buf.length - 1;
        for (long pos = head; pos < tail; pos++) {
            Object msg = buf[(int) pos & mask];
            if (msg != null && p.test(msg)) {
                removeSaved(pos);
                return true;
            }
        }
        return false;
    }

    /** {@return the messages in the order a receive would see them} */
    public final List<Object> snapshot() {
        checkNotSelecting();
        drainIncoming();
        List<Object> out = new ArrayList<>(savedLivePlain());
        if (saved != null) {
            int mask = saved.length - 1;
            for (long pos = head; pos < tail; pos++) {
                Object msg = saved[(int) pos & mask];
                if (msg != null) {
                    out.add(msg);
                }
            }
        }
        return out;
    }

    /** Drops every message, saved ones too; used when the owner has exited, so nothing keeps them alive. */
    @Override
    public final void clear() {
        beginLayoutChange();
        saved = null;
        markKey = null;
        head = tail = 0;
        setSavedLiveOpaque(0);
        endLayoutChange();
        super.clear();
    }

    // ---------------------------------------------------------------- save list

    private void checkNotSelecting() {
        if (selecting) {
            throw new IllegalStateException(
                    "a Matcher must not receive or inspect the mailbox; return a result and act on it"
                            + " after receive returns");
        }
    }

    private void drainIncoming() {
        Object msg;
        while ((msg = poll()) != null) {
            append(msg);
        }
    }

    private int savedLivePlain() {
        return (int) SAVED_LIVE.get(this);
    }

    // Opaque: only the owner writes; introspection may read a slightly old count.
    private void setSavedLiveOpaque(int n) {
        SAVED_LIVE.setOpaque(this, n);
    }

    // The owner is the only writer of layout, so a plain read of it is its latest value.
    private void beginLayoutChange() {
        LAYOUT.setOpaque(this, (int) LAYOUT.get(this) + 1);
        VarHandle.storeStoreFence(); // the odd count is visible before any change it guards
    }

    private void endLayoutChange() {
        LAYOUT.setRelease(this, (int) LAYOUT.get(this) + 1);
    }

    private void append(Object msg) {
        if (saved == null) {
            saved = new Object[SAVED_INITIAL];
        } else if (tail - head == saved.length) {
            beginLayoutChange();
            makeRoom();
            endLayoutChange();
        }
        // Release: a peeking thread that loads the message sees it as the owner does.
        SLOT.setRelease(saved, (int) tail & (saved.length - 1), msg);
        // Release: a peeking thread that reads this tail sees every slot below it as stored, not
        // a value from the ring's previous lap.
        TAIL.setRelease(this, tail + 1);
        setSavedLiveOpaque(savedLivePlain() + 1);
    }

    private Object removeSaved(long pos) {
        Object[] buf = saved;
        int mask = buf.length - 1;
        Object msg = buf[(int) pos & mask];
        buf[(int) pos & mask] = null;
        int live = savedLivePlain() - 1;
        setSavedLiveOpaque(live);
        if (live == 0) {
            beginLayoutChange();
            head = tail = 0;
            markPos = 0;
            endLayoutChange();
        } else if (pos == head) {
            do {
                head++;
            } while (buf[(int) head & mask] == null);
        } else if (pos == tail - 1) {
            do {
                tail--;
            } while (buf[(int) (tail - 1) & mask] == null);
        }
        return msg;
    }

    /** The buffer is full from head to tail: squeeze out holes, or grow when there are few. */
    private void makeRoom() {
        Object[] old = saved;
        int oldMask = old.length - 1;
        int live = savedLivePlain();
        Object[] buf = live > old.length / 2 ? new Object[old.length * 2] : new Object[old.length];
        int mask = buf.length - 1;
        long newMark = -1;
        long to = head;
        for (long pos = head; pos < tail; pos++) {
            if (pos == markPos) {
                newMark = to;
            }
            Object msg = old[(int) pos & oldMask];
            if (msg != null) {
                buf[(int) to & mask] = msg;
                to++;
            }
        }
        markPos = newMark >= 0 ? newMark : (markPos >= tail ? to : markPos);
        saved = buf;
        tail = to;
    }
}
