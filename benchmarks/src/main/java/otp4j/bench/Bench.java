package otp4j.bench;

import java.util.Arrays;
import java.util.Locale;

import otp4j.observer.Observer;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Node;
import otp4j.runtime.NodeOptions;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;

/**
 * Runs one workload for one implementation in this JVM, prints its figures and exits: status 0
 * when every result checked out, 1 otherwise.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp ... otp4j.bench.Bench w2 otp4j 10000 1000 100 100000
 * </pre>
 *
 * <p>Implementations: {@code otp4j}; {@code vt}, the bare floor ({@link VtProc}; for W7 the JDK's
 * concurrent maps); {@code pekko}, Apache Pekko's typed actors on its default dispatcher, and
 * {@code pekko-vt}, the same on Pekko's virtual-thread dispatcher ({@link PekkoSystem});
 * {@code mvstore}, H2's MVStore (W8 only). Not every workload has every one. The size
 * arguments are those of the Erlang program of the same workload; omitted ones take the same
 * defaults. {@link Runner} runs every workload this way, each in a fresh JVM.
 */
public final class Bench {
    private Bench() {
    }

    /** The implementations a workload can run on. */
    enum Impl {
        OTP4J("otp4j"), VT("vt"), PEKKO("pekko"), PEKKO_VT("pekko-vt"), MVSTORE("mvstore");

        private final String label;

        Impl(String label) {
            this.label = label;
        }

        /** {@return the name of this implementation on the command line and in figure lines} */
        String label() {
            return label;
        }

        /** {@return the implementation called {@code label}} */
        static Impl of(String label) {
            return Arrays.stream(values()).filter(i -> i.label.equals(label)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown implementation " + label + "; known: "
                            + Arrays.stream(values()).map(Impl::label).toList()));
        }
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: Bench <w1|w2|w3|w4|w5|w6|w7|w8|w9> <otp4j|vt|pekko|pekko-vt|mvstore> [size args of the Erlang program]");
            System.exit(2);
        }
        // A floor process that throws would otherwise leave the run waiting for it forever.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> fail(e));
        try {
            Impl impl = Impl.of(args[1]);
            int[] sizes = Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray();
            Report out = new Report(impl.label());
            // Warm-up: the same workload at a tenth of its size, untimed, so that the timed run
            // measures compiled code. It matters more on the JVM than it seems: a process whose
            // loop started before the JIT compiled it keeps running that loop interpreted,
            // however long it runs. BEAM loads compiled code, so its programs need no warm-up.
            // W9 warms up at full size: its first-1,000 figure is there to show whether restarts
            // slow down as they accumulate, which a restart path still being compiled would hide.
            // W7 too: each of its phases is one long loop run once, and at a tenth of the size
            // the JIT had not finished compiling some of them (a range query ran 3-6x slower
            // on the floor's skip list than after a full-size warm-up).
            int warmUpDivisor = args[0].equals("w9") || args[0].equals("w7") ? 1 : 10;
            System.err.println("# warm-up at 1/" + warmUpDivisor + " of the size");
            run(args[0], impl, out.silent(), sizes, warmUpDivisor);
            run(args[0], impl, out, sizes, 1);
            if (pekkoSystem != null) {
                pekkoSystem.close();
            }
        } catch (Throwable e) {
            fail(e);
        }
        System.exit(0);
    }

    private static void run(String workload, Impl impl, Report out, int[] sizes, int divisor)
            throws InterruptedException {
        switch (workload) {
            case "w1" -> W1Spawn.run(impl, out, size(sizes, 0, 1_000_000, divisor));
            case "w2" -> W2Ring.run(impl, out, size(sizes, 0, 10_000, 1), size(sizes, 1, 1_000, divisor),
                    size(sizes, 2, 100, 1), size(sizes, 3, 100_000, divisor));
            case "w3" -> W3PingPong.run(impl, out, size(sizes, 0, 1_000_000, divisor));
            case "w4" -> W4FanIn.run(impl, out, size(sizes, 0, 100, 1), size(sizes, 1, 100_000, divisor));
            case "w5" -> W5GenServer.run(impl, out, size(sizes, 0, 1_000_000, divisor), size(sizes, 1, 100, 1),
                    size(sizes, 2, 10_000, divisor));
            case "w6" -> W6Skynet.run(impl, out, size(sizes, 0, 1_000_000, divisor));
            // The counter keys and the range length stay as they are in the warm-up.
            case "w7" -> W7Tables.run(impl, out, new W7Tables.Sizes(size(sizes, 0, 1_000_000, divisor),
                    size(sizes, 1, 10_000_000, divisor), size(sizes, 2, 10_000_000, divisor),
                    size(sizes, 3, 1_000, 1), size(sizes, 4, 100_000, divisor), size(sizes, 5, 100, 1)));
            case "w8" -> W8Disk.run(impl, out, size(sizes, 0, 100_000, divisor), size(sizes, 1, 100_000, divisor));
            case "w9" -> W9Supervisor.run(impl, out, size(sizes, 0, 10_000, divisor));
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
    }

    /** {@return size argument {@code i} (or {@code fallback}) divided by {@code divisor}, at least 1} */
    private static int size(int[] sizes, int i, int fallback, int divisor) {
        return Math.max(1, (i < sizes.length ? sizes[i] : fallback) / divisor);
    }

    private static void fail(Throwable e) {
        System.err.println("# ERROR " + e);
        e.printStackTrace();
        System.exit(1);
    }

    /**
     * {@return the exception for a wrong result}: a run that got it must fail rather than report
     * a time. Used as {@code if (...) throw wrong(...)}, so that checks in timed loops build
     * their message only when they fail.
     */
    static IllegalStateException wrong(String what) {
        return new IllegalStateException("result check failed: " + what);
    }

    /** Set to true, otp4j's runs have the observer open (Runner's {@code --observer}). */
    static final String OBSERVER_PROPERTY = "otp4j.bench.observer";

    /**
     * The observer open on a node, with its processes page read every second from another JVM
     * ({@link PagePoller}), as a person watching it in a browser would; nothing when not asked for.
     */
    private record ObservedNode(Observer observer) implements AutoCloseable {
        static ObservedNode startIf(boolean on, Node node) {
            if (!on) {
                return new ObservedNode(null);
            }
            Observer o = Observer.start(node);
            PagePoller.get().watch(o.url().resolve("/api/processes?sort=reductionsDelta&limit=50"));
            System.err.println("# observer open at " + o.url() + ", its processes page read every second");
            return new ObservedNode(o);
        }

        @Override
        public void close() {
            if (observer != null) {
                try {
                    System.err.println("# observer's processes page read " + PagePoller.get().stop() + " times");
                } finally {
                    observer.close();
                }
            }
        }
    }

    /** A workload's code for otp4j, run in a process. */
    interface Otp4jBody {
        void run() throws InterruptedException;
    }

    /** A workload's code for the floor, run in a floor process, which it gets as {@code self}. */
    interface VtBody {
        void run(VtProc self) throws InterruptedException;
    }

    /**
     * Runs {@code body} in a process of a fresh node with the default options, and waits for it
     * to end; fails if it crashes. A process, not the main thread, as in the Erlang programs:
     * what it receives and sends is then timed between processes of one scheduler.
     */
    @SuppressWarnings("try") // attached, the main thread may spawn and receive; it needs no pid
    static void otp4j(Otp4jBody body) {
        try (Node node = Node.start(NodeOptions.defaults()); AttachedProcess me = node.attach();
             ObservedNode observed = ObservedNode.startIf(Boolean.getBoolean(OBSERVER_PROPERTY), node)) {
            System.err.println("# otp4j scheduler " + node.scheduler() + ", " + node.systemInfo().carriers()
                    + " carriers, JDK " + Runtime.version());
            Proc.spawnMonitor(() -> {
                try {
                    body.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Reason reason = ((Down) Proc.receive()).reason();
            if (reason instanceof Reason.Crash c) {
                throw new IllegalStateException("the workload's process crashed", c.exception());
            } else if (!(reason instanceof Reason.Normal)) {
                throw new IllegalStateException("the workload's process exited with " + reason);
            }
        }
    }

    /** A workload's code for Pekko, run on the main thread. */
    interface PekkoBody {
        void run(PekkoSystem pekko);
    }

    /**
     * The actor system of this JVM's Pekko runs: made by the warm-up, so that the timed run
     * finds its dispatcher's threads started; terminated when the JVM's work is done.
     */
    private static PekkoSystem pekkoSystem;

    /**
     * Runs {@code body} with the actor system of this JVM, whose default dispatcher is that of
     * {@code impl} ({@link Impl#PEKKO} or {@link Impl#PEKKO_VT}).
     */
    static void pekko(Impl impl, PekkoBody body) {
        if (pekkoSystem == null) {
            pekkoSystem = new PekkoSystem(impl == Impl.PEKKO_VT);
        }
        body.run(pekkoSystem);
    }

    /** {@return the exception for an implementation a workload does not have} */
    static IllegalArgumentException unsupported(String workload, Impl impl, String why) {
        return new IllegalArgumentException(workload + " does not run on " + impl.label() + ": " + why);
    }

    /** Runs {@code body} in a floor process and waits for it to end; it fails the JVM if it throws. */
    static void vt(VtBody body) throws InterruptedException {
        VtProc.spawn(self -> {
            try {
                body.run(self);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).thread().join();
    }

    /** {@return the bytes of live heap, measured right after a full collection} */
    static long heapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
