package otp4j.bench;

import java.time.Duration;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.function.Function;

/**
 * Apache Pekko, the peer: an actor system of typed actors with Pekko's default configuration
 * (the default dispatcher: a fork-join pool, throughput 5). The workload's driver runs on the
 * main thread and spawns its actors through the guardian; every timestamp that ends a timed
 * region is taken inside an actor, as the Erlang programs take it inside a process.
 */
final class PekkoSystem implements AutoCloseable {
    /** How long the untimed set-up (spawns, the final check) may take before the run fails. */
    private static final Duration SETUP = Duration.ofSeconds(30);

    private final ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "bench");

    PekkoSystem() {
        Config d = system.settings().config().getConfig("pekko.actor.default-dispatcher");
        Config fj = d.getConfig("fork-join-executor");
        System.err.println("# pekko " + system.settings().config().getString("pekko.version") + ", default dispatcher: " + d.getString("executor")
                + " (fork-join, parallelism " + fj.getInt("parallelism-min") + ".." + fj.getInt("parallelism-max")
                + " at " + fj.getDouble("parallelism-factor") + " per processor), throughput "
                + d.getInt("throughput") + ", JDK " + Runtime.version());
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
