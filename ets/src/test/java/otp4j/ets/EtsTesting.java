package otp4j.ets;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import otp4j.runtime.Down;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Ref;
import otp4j.runtime.Spawned;
import otp4j.testing.Mailbox;

/** Helpers shared by the ets tests: the conformance corpus's {@code in_other}, {@code owner}, {@code wait_dead}. */
public final class EtsTesting {
    private EtsTesting() {}

    /** Failure deadline for anything expected to arrive; never reached when all is well. */
    public static final Duration DEADLINE = Duration.ofSeconds(10);

    /** What a call in another process gave: a value, or what it threw. */
    public record Outcome(Object value, RuntimeException thrown) {
        /** {@return the exception, failing if the call returned} */
        public RuntimeException raised() {
            if (thrown == null) {
                throw new AssertionError("expected an exception, got " + value);
            }
            return thrown;
        }
    }

    private record Reply(Ref tag, Outcome outcome) {}

    /** Erlang's {@code in_other(F)}: runs {@code f} in a fresh process that owns nothing. */
    public static Outcome inOther(Supplier<?> f) {
        Pid me = Proc.self();
        Ref tag = Proc.makeRef();
        Proc.spawn(() -> {
            Outcome o;
            try {
                o = new Outcome(f.get(), null);
            } catch (RuntimeException e) {
                o = new Outcome(null, e);
            }
            Proc.send(me, new Reply(tag, o));
        });
        return Mailbox.await(m -> m instanceof Reply r && r.tag() == tag ? r.outcome() : null, DEADLINE);
    }

    /** Sent to an {@link #owner} process to end it. */
    public record Stop() {}

    private record Made(Ref tag, Table<?, ?> table) {}

    /** An owner process and its table. */
    public record Owned<K, V>(Pid pid, Table<K, V> table) {}

    /**
     * Erlang's {@code owner(Opts)}: spawns a process that makes a table with {@code options},
     * runs {@code fill} on it, and waits for {@link Stop}.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> Owned<K, V> owner(TableOptions options, Function<Table<K, V>, ?> fill) {
        Pid me = Proc.self();
        Ref tag = Proc.makeRef();
        Pid p = Proc.spawn(() -> {
            Table<K, V> t = Ets.newTable("t", options);
            fill.apply(t);
            Proc.send(me, new Made(tag, t));
            Proc.receive(m -> m instanceof Stop ? m : null);
        });
        Table<K, V> t = (Table<K, V>) Mailbox.await(m -> m instanceof Made r && r.tag() == tag ? r.table() : null,
                DEADLINE);
        return new Owned<>(p, t);
    }

    /** Erlang's {@code wait_dead(P)}: returns once {@code p} is dead and its death fully signalled. */
    public static void waitDead(Pid p) {
        Ref r = Proc.monitor(p);
        Mailbox.await(m -> m instanceof Down d && d.ref() == r ? d : null, DEADLINE);
    }

    /** Spawns a process that waits forever (until killed or the node closes). */
    public static Pid idle() {
        return Proc.spawn(() -> Proc.receive(m -> null));
    }

    /** Spawns a process that has already finished when this returns. */
    public static Pid dead() {
        Spawned s = Proc.spawnMonitor(() -> {});
        Mailbox.await(m -> m instanceof Down d && d.ref() == s.ref() ? d : null, DEADLINE);
        return s.pid();
    }
}
