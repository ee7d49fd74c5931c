package otp4j.samples.main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import otp4j.behaviour.Application;
import otp4j.behaviour.ApplicationException;
import otp4j.observer.Observer;
import otp4j.observer.ObserverOptions;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Node;
import otp4j.runtime.NodeClosedException;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Ref;
import otp4j.samples.chaos.ChaosMonkey;
import otp4j.samples.pipeline.DetsJobStore;
import otp4j.samples.ratelimit.RateLimiter;

/**
 * The main job: starts every sample under the application {@value Samples#APPLICATION} and an
 * observer of the node, prints what to try, and runs until Ctrl-C or SIGTERM, then stops the
 * application (its supervisors stop their children in reverse start order), the observer and
 * the node.
 *
 * <p>Run it from the repository root: {@code ./mvnw -q -pl samples -am package exec:exec
 * -DskipTests}. Options, as {@code -Dexec.args="--port=0 --chaos=0"}: {@code --port=N} (8080;
 * 0 for any free port), {@code --observer=N} the observer's port (8081; 0 for any free port),
 * {@code --chaos=SECONDS} between the chaos monkey's strikes (10; 0 for
 * none), {@code --bots=N} in the chat's lobby (2000), {@code --limit=N} requests per client and
 * {@code --window=SECONDS} of the rate limiter (10 per 10 s).
 */
public final class Main {
    private Main() {
    }

    /** How long the shutdown hook waits for a clean stop before it ends the JVM anyway. */
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

    /** What the shutdown hook sends the main process. */
    private record StopRequested() {
    }

    /** The observer's default port. */
    private static final int OBSERVER_PORT = 8081;

    /** Where the job pipeline keeps its jobs by default: a dets table in the working directory. */
    private static final Path JOBS = Path.of("jobs.dets");

    /** The command line: the samples' configuration, the observer's port, the jobs' file. */
    private record Options(Samples.Config config, int observerPort, Path jobs) {
    }

    public static void main(String[] args) {
        Samples.Config config;
        int observerPort;
        Path jobs;
        try {
            Options options = parse(args);
            config = options.config();
            observerPort = options.observerPort();
            jobs = options.jobs();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: [--port=8080] [--observer=8081] [--jobs=jobs.dets] [--chaos=10] [--bots=2000] [--limit=10] [--window=10]");
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger status = new AtomicInteger();
        try (Node node = Node.start()) {
            try (AttachedProcess me = node.attach()) {
                // Before the start, so that a SIGTERM during it waits in our mailbox.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> onSignal(me.pid(), stopped, status),
                        "otp4j-samples-shutdown"));
                Optional<DetsJobStore> opened = openJobs(jobs);
                if (opened.isEmpty()) {
                    status.set(1);
                } else {
                    try (DetsJobStore store = opened.get()) {
                        status.set(run(node, config, store, jobs, observerPort));
                    }
                }
            }
        } finally {
            System.out.println("stopped");
            System.out.flush();
            stopped.countDown();
        }
        if (status.get() != 0) {
            System.exit(status.get());
        }
    }

    /**
     * Runs the samples with their jobs in {@code store} and an observer on {@code observerPort}
     * until a stop is asked for or they stop on their own; {@return the exit status}
     */
    private static int run(Node node, Samples.Config config, DetsJobStore store, Path jobs, int observerPort) {
        int left = store.pending().size();
        Samples samples = new Samples(config, store, strike -> System.out.printf(Locale.ROOT,
                "chaos monkey killed %s (%s) of %s; its supervisor restarts it%n", strike.id(), strike.pid(),
                strike.supervisor()));
        Optional<Observer> observer = start(samples) ? startObserver(node, observerPort) : Optional.empty();
        if (observer.isEmpty()) {
            return 1;
        }
        try (Observer o = observer.get()) {
            Pid top = Application.getSupervisor(Samples.APPLICATION).orElseThrow();
            Ref watch = Proc.monitor(top);
            printGuide(node, samples, o, jobs, left);
            Object why = Proc.receive(m -> m instanceof StopRequested
                    || m instanceof Down d && d.ref().equals(watch) ? m : null);
            if (why instanceof Down down) {
                System.out.println("the samples stopped on their own: " + down.reason() + "; closing the node");
                return 1;
            }
            System.out.println("stopping: the chaos monkey, the web endpoint, the job pipeline, the chat, "
                    + "the rate limiter, the cache, the observer");
            Application.stop(Samples.APPLICATION);
            return 0;
        }
    }

    /**
     * {@return the job store in {@code file}, opened by the calling (main) process, which lives
     * as long as the job, or empty if it cannot be opened, said on stderr} Its pending jobs, left
     * by an earlier run, are run again.
     */
    private static Optional<DetsJobStore> openJobs(Path file) {
        try {
            return Optional.of(DetsJobStore.open(file));
        } catch (IOException e) {
            System.err.println("the job store " + file.toAbsolutePath() + " cannot be opened: " + e.getMessage()
                    + " (--jobs=FILE picks another file)");
            return Optional.empty();
        }
    }

    /** {@return the observer of {@code node} on {@code port}, or empty if it cannot listen, said on stderr} */
    private static Optional<Observer> startObserver(Node node, int port) {
        try {
            return Optional.of(Observer.start(ObserverOptions.defaults().withNode(node).withPort(port)));
        } catch (UncheckedIOException e) {
            System.err.println("the observer " + e.getMessage() + (port != 0 ? " (--observer=0 picks a free port)" : ""));
            return Optional.empty();
        }
    }

    /** {@return whether the application started} If not, says why on stderr. */
    private static boolean start(Samples samples) {
        try {
            Application.load(samples.application());
            Application.ensureAllStarted(Samples.APPLICATION);
            return true;
        } catch (ApplicationException e) {
            System.err.println(e.getMessage()
                    + (samples.config().port() != 0 ? " (--port=0 picks a free port)" : ""));
            return false;
        }
    }

    /**
     * The shutdown hook: on SIGTERM or Ctrl-C, tells the main process to stop the samples, and
     * waits for it, since the JVM exits as soon as its hooks return. After a clean stop it ends
     * the JVM with status 0, as {@code erl} answers SIGTERM with {@code init:stop()} and exits 0
     * (a JVM's own status after a signal is 128 + its number). When the JVM is exiting for
     * another reason (the samples stopped on their own), the status is left as it is.
     */
    private static void onSignal(Pid main, CountDownLatch stopped, AtomicInteger status) {
        if (stopped.getCount() > 0) {
            try {
                Proc.send(main, new StopRequested());
            } catch (NodeClosedException e) {
                // the main process has closed the node already, and is about to open the latch
            }
        }
        boolean done = awaitUninterruptibly(stopped, STOP_DEADLINE);
        if (!done) {
            System.err.println("the samples did not stop within " + STOP_DEADLINE.toSeconds() + " s");
            Runtime.getRuntime().halt(1);
        }
        if (status.get() == 0) {
            Runtime.getRuntime().halt(0);
        }
    }

    private static void printGuide(Node node, Samples samples, Observer observer, Path jobs, int pendingJobs) {
        Samples.Config c = samples.config();
        String base = samples.web().uri().toString();
        System.out.printf(Locale.ROOT, """
                otp4j samples: node %s, %s scheduler, %d carriers, %,d processes
                listening on %s

                rate limiter: %d requests per %d s per client, counted in ets table %s
                  curl -i '%s/limited?client=alice'
                  for i in $(seq %d); do curl -s -o /dev/null -w '%%{http_code} ' '%s/limited?client=bob'; done; echo
                  ./mvnw -q -pl samples -am package exec:exec -DskipTests -Dexec.main=otp4j.samples.ratelimit.LoadGenerator -Dexec.args="%s/limited 50 200"
                cache: entries live %d s; reads go straight to its ets table
                  curl -X PUT --data hello %s/cache/greeting
                  curl %s/cache/greeting
                chat: room %s with %,d bots
                  curl --data 'hi all' '%s/chat/%s?from=me'
                  curl %s/chat/%s
                job pipeline: 4 jobs at a time, 3 attempts each, jobs kept in dets table %s (%d left by the last run)
                  curl --data 1000000 '%s/jobs?kind=primes'
                  curl --data 7 '%s/jobs?kind=flaky'
                chaos: %s
                observer: %s (processes, supervision trees, tables, load), in a terminal:
                  ./mvnw -q -pl samples -am package exec:exec -DskipTests -Dexec.main=otp4j.observer.Top -Dexec.args=%s
                Ctrl-C stops everything.
                """,
                node.name(), node.scheduler(), node.systemInfo().carriers(), node.systemInfo().processCount(), base,
                c.rateLimit(), c.rateWindow().toSeconds(), RateLimiter.TABLE, base, c.rateLimit() + 2, base, base,
                c.cacheTtl().toSeconds(), base, base,
                Samples.LOBBY, c.bots(), base, Samples.LOBBY, base, Samples.LOBBY, jobs.toAbsolutePath(), pendingJobs,
                base, base,
                c.chaosEvery().map(d -> "the monkey (" + ChaosMonkey.NAME + ") kills a random worker every "
                        + d.toSeconds() + " s; each strike is printed below").orElse("the monkey waits to be asked"),
                observer.url(), observer.url());
        System.out.flush();
    }

    private static Options parse(String[] args) {
        Samples.Config c = Samples.Config.defaults();
        int observer = OBSERVER_PORT;
        Path jobs = JOBS;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("unknown argument \"" + arg + "\": options are --name=value");
            }
            String name = arg.substring(2, eq);
            if (name.equals("jobs")) {
                jobs = Path.of(arg.substring(eq + 1));
                continue;
            }
            long value;
            try {
                value = Long.parseLong(arg.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " takes a whole number, not \"" + arg.substring(eq + 1) + "\"");
            }
            if (value < 0) {
                throw new IllegalArgumentException("--" + name + " must not be negative, was " + value);
            }
            if (name.equals("observer")) {
                observer = Math.toIntExact(value);
                continue;
            }
            c = switch (name) {
                case "port" -> c.withPort(Math.toIntExact(value));
                case "chaos" -> c.withChaosEvery(value == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(value)));
                case "bots" -> c.withBots(Math.toIntExact(value));
                case "limit" -> c.withRate(value, c.rateWindow());
                case "window" -> c.withRate(c.rateLimit(), Duration.ofSeconds(value));
                default -> throw new IllegalArgumentException("unknown option --" + name
                        + "; options are --port, --observer, --jobs, --chaos, --bots, --limit, --window");
            };
        }
        return new Options(c, observer, jobs);
    }

    /** {@return whether the latch opened within {@code deadline}} Waits through interrupts. */
    private static boolean awaitUninterruptibly(CountDownLatch latch, Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return latch.await(until - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
