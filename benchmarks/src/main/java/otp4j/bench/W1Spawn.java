package otp4j.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import otp4j.runtime.Down;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.ProcessInfo;
import otp4j.runtime.ProcessStatus;
import otp4j.runtime.Reason;
import otp4j.runtime.SchedulerType;

/**
 * W1 spawn: one process spawns N processes that each block in a receive, keeping their pids,
 * as a server holding a million idle connections or sessions does. Figures, as
 * {@code w1_spawn.erl}: seconds for the spawn loop ({@code w1_spawn_s}); until every process is
 * blocked in its receive ({@code w1_spawn_settled_s}); heap bytes per blocked process after a
 * full GC, without ({@code w1_mem_per_proc_processes}) and with ({@code _total}) the spawner's
 * array of pids; and, with a monitor on each process set up untimed, seconds from the first
 * {@code stop} message until the Nth DOWN has been received ({@code w1_exit_s}). The number of
 * live processes is checked after the spawn (N) and after the exit (none).
 *
 * <p>Pekko: an actor spawns N children, each waiting for a message, keeping their references;
 * settled is when every child has run its set-up (Pekko starts an actor asynchronously, on the
 * dispatcher); the spawner then watches each child (untimed) and is timed from its first
 * {@code stop} until it has received the Nth {@code Terminated} signal. Checked: the spawner has
 * N children after the spawn and none after the last signal.
 *
 * <p>Run with {@code benchmarks/run.sh w1} (all implementations, side by side), or alone
 * as the benchmarks README shows ({@code Bench w1 otp4j}).
 */
final class W1Spawn {
    private static final String STOP = "stop";

    private W1Spawn() {
    }

    static void run(Bench.Impl impl, Report out, int n) throws InterruptedException {
        switch (impl) {
            case OTP4J -> Bench.otp4j(() -> otp4j(out, n));
            case VT -> Bench.vt(self -> vt(out, self, n));
            case PEKKO, PEKKO_VT -> Bench.pekko(impl, pekko -> pekko(out, pekko, n));
        }
    }

    private static void otp4j(Report out, int n) throws InterruptedException {
        Node node = Proc.node();
        int base = node.systemInfo().processCount();
        long heap0 = Bench.heapAfterGc();
        Pid[] pids = new Pid[n];
        long heapList = Bench.heapAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            pids[i] = Proc.spawn(Proc::receive);
        }
        long t1 = System.nanoTime();
        // As the Erlang program: until no process is runnable. The JDK's scheduler (otp4j
        // without the add-opens flag) reports no run queue; there, look at every process.
        if (node.scheduler() == SchedulerType.OTP4J) {
            while (node.systemInfo().runQueue() > 0) {
                Thread.sleep(1);
            }
        } else {
            for (Pid p : pids) {
                while (Proc.info(p).map(ProcessInfo::status).orElseThrow() != ProcessStatus.WAITING) {
                    Thread.sleep(1);
                }
            }
        }
        long t2 = System.nanoTime();
        int alive = node.systemInfo().processCount() - base;
        if (alive != n) {
            throw Bench.wrong(alive + " processes alive, expected " + n);
        }
        long heap1 = Bench.heapAfterGc();
        report(out, n, t1 - t0, t2 - t0, heap0, heapList, heap1);

        for (Pid p : pids) {
            Proc.monitor(p);
        }
        long t3 = System.nanoTime();
        for (Pid p : pids) {
            Proc.send(p, STOP);
        }
        for (int i = 0; i < n; i++) {
            Object m = Proc.receive();
            if (!(m instanceof Down d && d.reason() instanceof Reason.Normal)) {
                throw Bench.wrong("expected a normal DOWN, got " + m);
            }
        }
        long t4 = System.nanoTime();
        out.secs("w1_exit_s", t4 - t3);
        // A process leaves the live count just after queueing its DOWN, so allow a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node.systemInfo().processCount() != base && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        int left = node.systemInfo().processCount() - base;
        if (left != 0) {
            throw Bench.wrong(left + " processes still alive after the last DOWN");
        }
    }

    private static void vt(Report out, VtProc me, int n) throws InterruptedException {
        long heap0 = Bench.heapAfterGc();
        VtProc[] procs = new VtProc[n];
        long heapList = Bench.heapAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            // The floor has no monitors: a process reports its own exit.
            procs[i] = VtProc.spawn(self -> {
                self.receive();
                me.send(STOP);
            });
        }
        long t1 = System.nanoTime();
        for (VtProc p : procs) {
            while (!p.isParked()) {
                Thread.sleep(1);
            }
        }
        long t2 = System.nanoTime();
        int alive = 0;
        for (VtProc p : procs) {
            alive += p.thread().isAlive() ? 1 : 0;
        }
        if (alive != n) {
            throw Bench.wrong(alive + " threads alive, expected " + n);
        }
        long heap1 = Bench.heapAfterGc();
        report(out, n, t1 - t0, t2 - t0, heap0, heapList, heap1);

        long t3 = System.nanoTime();
        for (VtProc p : procs) {
            p.send(STOP);
        }
        for (int i = 0; i < n; i++) {
            Object m = me.receive();
            if (m != STOP) {
                throw Bench.wrong("expected an exit notice, got " + m);
            }
        }
        long t4 = System.nanoTime();
        out.secs("w1_exit_s", t4 - t3);
        for (VtProc p : procs) {
            if (!p.thread().join(Duration.ofSeconds(10))) {
                throw Bench.wrong("a thread still alive 10 s after its exit notice");
            }
        }
    }

    /** Spawn {@code into.length} children into {@code into}; answers when the loop began and ended. */
    private record SpawnAll(ActorRef<String>[] into, CompletableFuture<long[]> done) {
    }

    /** Answer the number of live children. */
    private record CountChildren(CompletableFuture<Integer> count) {
    }

    /** Watch every child. */
    private record WatchAll(CompletableFuture<Void> done) {
    }

    /** Stop every child; answers the nanoseconds until the last Terminated signal. */
    private record StopAll(CompletableFuture<Long> done) {
    }

    /** The spawner: a parent of N idle children, as the spawning process of the Erlang program. */
    private static final class PekkoSpawner extends AbstractBehavior<Object> {
        private final Behavior<String> child;
        private ActorRef<String>[] children;
        private StopAll stopping;
        private long t3;
        private int terminated;

        PekkoSpawner(ActorContext<Object> context, LongAdder started) {
            super(context);
            // A child counts itself when it starts, then waits for one message, any, and stops.
            this.child = Behaviors.setup(ctx -> {
                started.increment();
                return Behaviors.receiveMessage(stop -> Behaviors.stopped());
            });
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder().onMessage(SpawnAll.class, m -> {
                children = m.into();
                long t0 = System.nanoTime();
                for (int i = 0; i < children.length; i++) {
                    children[i] = getContext().spawnAnonymous(child);
                }
                m.done().complete(new long[] {t0, System.nanoTime()});
                return this;
            }).onMessage(CountChildren.class, m -> {
                m.count().complete(getContext().getChildren().size());
                return this;
            }).onMessage(WatchAll.class, m -> {
                for (ActorRef<String> c : children) {
                    getContext().watch(c);
                }
                m.done().complete(null);
                return this;
            }).onMessage(StopAll.class, m -> {
                stopping = m;
                t3 = System.nanoTime();
                for (ActorRef<String> c : children) {
                    c.tell(STOP);
                }
                return this;
            }).onSignal(Terminated.class, t -> {
                if (++terminated == children.length) {
                    long t4 = System.nanoTime();
                    int left = getContext().getChildren().size();
                    if (left != 0) {
                        stopping.done().completeExceptionally(
                                Bench.wrong(left + " children still alive after the last Terminated"));
                    } else {
                        stopping.done().complete(t4 - t3);
                    }
                }
                return this;
            }).build();
        }
    }

    private static void pekko(Report out, PekkoSystem pekko, int n) {
        LongAdder started = new LongAdder();
        ActorRef<Object> spawner = pekko.spawn(Behaviors.setup(ctx -> new PekkoSpawner(ctx, started)));
        long heap0 = Bench.heapAfterGc();
        @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
        ActorRef<String>[] children = new ActorRef[n];
        long heapList = Bench.heapAfterGc();
        CompletableFuture<long[]> spawned = new CompletableFuture<>();
        spawner.tell(new SpawnAll(children, spawned));
        long[] t = spawned.join();
        // As the Erlang program waits until no process is runnable: until every child has started.
        while (started.sum() < n) {
            sleepMillis(1);
        }
        long t2 = System.nanoTime();
        CompletableFuture<Integer> count = new CompletableFuture<>();
        spawner.tell(new CountChildren(count));
        if (count.join() != n) {
            throw Bench.wrong(count.join() + " children alive, expected " + n);
        }
        long heap1 = Bench.heapAfterGc();
        report(out, n, t[1] - t[0], t2 - t[0], heap0, heapList, heap1);

        CompletableFuture<Void> watched = new CompletableFuture<>();
        spawner.tell(new WatchAll(watched));
        watched.join();
        CompletableFuture<Long> stopped = new CompletableFuture<>();
        spawner.tell(new StopAll(stopped));
        out.secs("w1_exit_s", stopped.join());
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(Report out, int n, long spawnNanos, long settledNanos, long heap0, long heapList,
            long heap1) {
        out.secs("w1_spawn_s", spawnNanos);
        out.secs("w1_spawn_settled_s", settledNanos);
        out.num("w1_mem_per_proc_processes", Math.round((double) (heap1 - heapList) / n), "bytes");
        out.num("w1_mem_per_proc_total", Math.round((double) (heap1 - heap0) / n), "bytes");
    }
}
