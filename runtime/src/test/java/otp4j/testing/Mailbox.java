package otp4j.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import otp4j.runtime.Matcher;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/** Receives for tests, in the calling process. */
public final class Mailbox {
    private Mailbox() {
    }

    /** Sends the message that ends a wait in real time, whatever clock the node runs on. */
    private static final ScheduledExecutorService ALARMS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "otp4j-test-mailbox-alarm");
        t.setDaemon(true);
        return t;
    });

    /** The alarm message: an object of its own, which no matcher under test accepts. */
    private static final class Alarm {
    }

    /**
     * As {@link #await}, with {@code deadline} in real time: on a node driven by a
     * {@link ManualTicker}, a receive timeout would never fire.
     */
    public static <R> R awaitInRealTime(Matcher<R> matcher, Duration deadline) {
        Pid self = Proc.self();
        Alarm alarm = new Alarm();
        ScheduledFuture<?> ring = ALARMS.schedule(() -> Proc.send(self, alarm), deadline.toMillis(),
                TimeUnit.MILLISECONDS);
        Object got;
        try {
            got = Proc.<Object>receive(m -> m == alarm ? alarm : matcher.match(m));
        } finally {
            ring.cancel(false);
        }
        if (got == alarm) {
            throw new AssertionError("nothing expected arrived within " + deadline + "; mailbox: " + Proc.messages());
        }
        @SuppressWarnings("unchecked") // got is not the alarm, so the matcher's result
        R r = (R) got;
        return r;
    }

    /** A selective receive that fails the test if nothing matching arrives within {@code deadline}. */
    public static <R> R await(Matcher<R> matcher, Duration deadline) {
        Optional<R> r = Proc.receive(matcher, deadline);
        if (r.isEmpty()) {
            throw new AssertionError("nothing expected arrived within " + deadline + "; mailbox: " + Proc.messages());
        }
        return r.get();
    }

    /** Erlang's {@code flush()}: takes and returns every message now in the mailbox, oldest first. */
    public static List<Object> flush() {
        List<Object> out = new ArrayList<>();
        for (Optional<Object> m = Proc.receive(Duration.ZERO); m.isPresent(); m = Proc.receive(Duration.ZERO)) {
            out.add(m.get());
        }
        return out;
    }
}
