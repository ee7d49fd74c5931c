package otp4j.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Spawned;
import otp4j.testing.LogCapture;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/** The exit hooks that let ETS delete a dead owner's tables before anyone hears of the death. */
@ExtendWith(NodeExtension.class)
class ExitHooksTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    record Go() {}

    @Test
    void hookRunsAfterTheNameIsFreeAndBeforeTheDownAndExitAreQueued(AttachedProcess me) {
        List<String> seen = new CopyOnWriteArrayList<>();
        Proc.trapExit(true);
        Pid p = Proc.spawnLink(() -> {
            Proc.register("hooked", Proc.self());
            Proc.receive();
        });
        Spawned watcher = Proc.spawnMonitor(() -> {
            Proc.monitor(p);
            Proc.send(me.pid(), new Go());
            Down d = (Down) Proc.receive();
            seen.add("down seen by watcher: " + d.reason());
        });
        Mailbox.await(m -> m instanceof Go g ? g : null, DEADLINE);
        assertThat(ExitHooks.add(p, dead -> seen.add("hook: " + (dead == p) + ", name free: "
                + Proc.whereis("hooked").isEmpty() + ", mailbox of the linked: " + Proc.messages().size())))
                .isTrue();
        Proc.exit(p, Reason.KILL);
        Exit exit = Mailbox.await(m -> m instanceof Exit e ? e : null, DEADLINE);
        Mailbox.await(m -> m instanceof Down d && d.ref() == watcher.ref() ? d : null, DEADLINE);
        assertThat(exit.reason()).isEqualTo(Reason.KILLED);
        // The hook ran on this thread (the killer's), before our Exit was queued.
        assertThat(seen).containsExactly("hook: true, name free: true, mailbox of the linked: 0",
                "down seen by watcher: killed");
    }

    record Will(String text) {}

    @Test
    void aHookDeliversFromTheDyingProcessBeforeItsExit(AttachedProcess me) {
        Proc.trapExit(true);
        Pid p = Proc.spawnLink(() -> Proc.receive());
        ExitHooks.add(p, dead -> ExitHooks.deliver(me.pid(), new Will("from " + dead)));
        Proc.send(p, new Go()); // p returns: the hook runs on p's own thread, where Proc.send would throw
        Object first = Mailbox.await(m -> m, DEADLINE);
        Object second = Mailbox.await(m -> m, DEADLINE);
        assertThat(first).isEqualTo(new Will("from " + p));
        assertThat(second).isEqualTo(new Exit(p, Reason.NORMAL));
    }

    @Test
    void addingToADeadProcessReturnsFalseAndTheHookNeverRuns(AttachedProcess me) {
        Spawned s = Proc.spawnMonitor(() -> {});
        Mailbox.await(m -> m instanceof Down d && d.ref() == s.ref() ? d : null, DEADLINE);
        AtomicInteger runs = new AtomicInteger();
        assertThat(ExitHooks.add(s.pid(), dead -> runs.incrementAndGet())).isFalse();
        assertThat(runs).hasValue(0);
    }

    @Test
    void theSameHookAddedTwiceRunsOnce(AttachedProcess me) {
        AtomicInteger runs = new AtomicInteger();
        ExitHooks.Hook hook = dead -> runs.incrementAndGet();
        Spawned s = Proc.spawnMonitor(() -> Proc.receive());
        assertThat(ExitHooks.add(s.pid(), hook)).isTrue();
        assertThat(ExitHooks.add(s.pid(), hook)).isTrue();
        Proc.send(s.pid(), new Go());
        Mailbox.await(m -> m instanceof Down d && d.ref() == s.ref() ? d : null, DEADLINE);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aHookThatThrowsIsLoggedAndTheDeathGoesOn(AttachedProcess me) {
        try (LogCapture log = new LogCapture("otp4j.runtime")) {
            AtomicInteger runs = new AtomicInteger();
            Spawned s = Proc.spawnMonitor(() -> Proc.receive());
            ExitHooks.add(s.pid(), dead -> {
                throw new IllegalStateException("hook failure");
            });
            ExitHooks.add(s.pid(), dead -> runs.incrementAndGet());
            Proc.send(s.pid(), new Go());
            Down down = Mailbox.await(m -> m instanceof Down d && d.ref() == s.ref() ? d : null, DEADLINE);
            assertThat(down.reason()).isEqualTo(Reason.NORMAL);
            assertThat(runs).hasValue(1);
            assertThat(log.records()).anySatisfy(r -> assertThat(r.getThrown()).hasMessage("hook failure"));
        }
    }
}
