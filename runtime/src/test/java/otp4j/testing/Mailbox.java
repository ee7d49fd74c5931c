package otp4j.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import otp4j.runtime.Matcher;
import otp4j.runtime.Proc;

/** Receives for tests, in the calling process. */
public final class Mailbox {
    private Mailbox() {
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
