package otp4j.bench;

import java.time.Duration;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.function.Function;

/**
 * Apache Pekko, the peer: an actor system of typed actors with Pekko's default configuration
 * (the default dispatcher: a fork-join pool, throughput 5) or, for {@code pekko-vt}, the same
 * with the default dispatcher's executor set to Pekko's {@code virtual-thread-executor} (each
 * run of an actor's mailbox on a new virtual thread of the JDK's scheduler). The workload's
 * driver runs on the main thread and spawns its actors through the guardian; every timestamp
 * that ends a timed region is taken inside an actor, as the Erlang programs take it inside a
 * process.
 */
final class PekkoSystem implements AutoCloseable {
    /** How long the untimed set-up (spawns, the final check) may take before the run fails. */
    private static final Duration SETUP = Duration.ofSeconds(30);
    private static final String DISPATCHER = "pekko.actor.default-dispatcher";

    private final ActorSystem<SpawnProtocol.Command> system;

    PekkoSystem(boolean virtualThreads) {
        Config config = virtualThreads
                ? ConfigFactory.parseString(DISPATCHER + ".executor = virtual-thread-executor")
                        .withFallback(ConfigFactory.load())
                : ConfigFactory.load();
        system = ActorSystem.create(SpawnProtocol.create(), "bench", config);
        Config d = system.settings().config().getConfig(DISPATCHER);
        Config fj = d.getConfig("fork-join-executor");
        String executor = virtualThreads
                ? "virtual-thread-executor (a virtual thread per mailbox run)"
                : d.getString("executor") + " (fork-join, parallelism " + fj.getInt("parallelism-min") + ".."
                        + fj.getInt("parallelism-max") + " at " + fj.getDouble("parallelism-factor") + " per processor)";
        System.err.println("# pekko " + system.settings().config().getString("pekko.version") + ", default dispatcher: "
                + executor + ", throughput " + d.getInt("throughput") + ", JDK " + Runtime.version());
        checkThreads(virtualThreads);
    }

    /**
     * Fails unless the dispatcher's actors really run on virtual threads ({@code pekko-vt}) or
     * on platform threads ({@code pekko}): Pekko falls back to its fork-join pool, silently,
     * where it cannot make virtual threads. Untimed: each run does this once, before its work.
     */
    private void checkThreads(boolean virtual) {
        boolean onVirtual = ask(spawn(Behaviors.<ActorRef<Boolean>>receiveMessage(r -> {
            r.tell(Thread.currentThread().isVirtual());
            return Behaviors.stopped();
        })), r -> r);
        if (onVirtual != virtual) {
            throw new IllegalStateException("Pekko's actors run on " + (onVirtual ? "virtual" : "platform")
                    + " threads; this run is for " + (virtual ? "virtual" : "platform") + " threads");
        }
    }

    /** {@return a new top-level actor running {@code behavior}} */
    <T> ActorRef<T> spawn(Behavior<T> behavior) {
        return ask(system, r -> new SpawnProtocol.Spawn<>(behavior, "", Props.empty(), r));
    }

    /** {@return the answer to {@code request}}, waited for on the calling thread; untimed work only */
    <Q, R> R ask(RecipientRef<Q> to, Function<ActorRef<R>, Q> request) {
        return AskPattern.ask(to, request, SETUP, system.scheduler()).toCompletableFuture().join();
    }

    Scheduler scheduler() {
        return system.scheduler();
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
