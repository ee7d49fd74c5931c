package otp4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.ProcessInfo;
import otp4j.runtime.internal.Mailbox;

/**
 * A mailbox, alone and behind a process: {@code mailboxOfferTakeFirst}, a message into otp4j's
 * mailbox and out again (one thread, so the queue's uncontended path), beside
 * {@code jctoolsOfferPoll}, the same on the floor's JCTools queue; {@code sendReceiveSelf}, a
 * {@code Proc.send} to oneself and a {@code Proc.receive}; and {@code selectiveReceive10k}, a
 * receive whose matcher accepts only the newest of 10,001 messages, so that it runs past the
 * 10,000 others each time, as an Erlang receive does (ERTS scans them too). The process is the
 * benchmark's thread, attached to a node.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MailboxBench {
    /** The messages a selective receive runs past. */
    static final int BACKLOG = 10_000;
    private static final Integer MESSAGE = 42;
    private static final Object WANTED = new Object();
    private static final Matcher<Object> ONLY_WANTED = m -> m == WANTED ? m : null;

    /** The bare queues, one of each per thread. */
    @State(Scope.Thread)
    public static class Queues {
        final Mailbox mailbox = new Mailbox();
        final MpscUnboundedXaddArrayQueue<Object> jctools = new MpscUnboundedXaddArrayQueue<>(16);
    }

    /**
     * The benchmark's thread as a process of a node, with {@code backlog} messages in its
     * mailbox that no benchmark takes. Attached per iteration, since the thread is a process only
     * between attach and close, and setups at that level run on the benchmark's thread.
     */
    @State(Scope.Thread)
    public static class Attached {
        private final int backlog;
        private Node node;
        private AttachedProcess me;
        Pid self;

        public Attached() {
            this(0);
        }

        Attached(int backlog) {
            this.backlog = backlog;
        }

        @Setup(Level.Trial)
        public void startNode() {
            node = Node.start();
        }

        @Setup(Level.Iteration)
        public void attach() {
            me = node.attach();
            self = me.pid();
            for (int i = 0; i < backlog; i++) {
                Proc.send(self, i);
            }
        }

        /** Checks that the benchmark took what it sent and nothing else. */
        @TearDown(Level.Iteration)
        public void detach() {
            int left = Proc.info(self).map(ProcessInfo::messageQueueLength).orElseThrow();
            me.close();
            if (left != backlog) {
                throw new IllegalStateException(left + " messages left in the mailbox, expected " + backlog);
            }
        }

        @TearDown(Level.Trial)
        public void stopNode() {
            node.close();
        }
    }

    /** A process with {@value #BACKLOG} messages in its mailbox. */
    @State(Scope.Thread)
    public static class Backlogged extends Attached {
        public Backlogged() {
            super(BACKLOG);
        }
    }

    @Benchmark
    public Object mailboxOfferTakeFirst(Queues q) {
        q.mailbox.offer(MESSAGE);
        return check(q.mailbox.takeFirst(), MESSAGE);
    }

    @Benchmark
    public Object jctoolsOfferPoll(Queues q) {
        q.jctools.offer(MESSAGE);
        return check(q.jctools.poll(), MESSAGE);
    }

    @Benchmark
    public Object sendReceiveSelf(Attached p) {
        Proc.send(p.self, MESSAGE);
        return check(Proc.receive(), MESSAGE);
    }

    @Benchmark
    public Object selectiveReceive10k(Backlogged p) {
        Proc.send(p.self, WANTED);
        return check(Proc.receive(ONLY_WANTED), WANTED);
    }

    static Object check(Object got, Object expected) {
        if (got != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + got);
        }
        return got;
    }
}
