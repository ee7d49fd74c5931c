package otp4j.samples.ring;

import java.util.Objects;

import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * A ring of processes passing a token, Joe Armstrong's classic: each process forwards the token
 * to its neighbour, and the first one tells an observer each time the token completes a lap.
 *
 * {@snippet :
 * Pid first = Ring.start(10_000, Proc.self());
 * Proc.send(first, new Ring.Token(0));
 * Ring.Lap lap = Proc.receive(Matcher.type(Ring.Lap.class));   // after 10,000 hops
 * }
 */
public final class Ring {
    private Ring() {
    }

    /** The token; {@code hops} counts the hops it has made. */
    public record Token(long hops) {
    }

    /** Sent to the observer each time the token passes the first process. */
    public record Lap(long hops) {
    }

    /** Closes the ring: tells the first process who its neighbour is. */
    private record Next(Pid pid) {
    }

    /**
     * Spawns {@code size} processes in a ring and returns the first; send it a {@link Token} to
     * start. The first process reports a {@link Lap} to {@code observer} at each lap.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Pid start(int size, Pid observer) {
        if (size < 1) {
            throw new IllegalArgumentException("a ring needs at least one process, was " + size);
        }
        Objects.requireNonNull(observer, "observer");
        Pid first = Proc.spawn(() -> {
            Pid next = Proc.receive(m -> m instanceof Next n ? n.pid() : null);
            for (;;) {
                Token t = (Token) Proc.receive();
                Proc.send(observer, new Lap(t.hops()));
                Proc.send(next, new Token(t.hops() + 1));
            }
        });
        Pid prev = first;
        for (int i = 1; i < size; i++) {
            Pid to = prev;
            prev = Proc.spawn(() -> {
                for (;;) {
                    Token t = (Token) Proc.receive();
                    Proc.send(to, new Token(t.hops() + 1));
                }
            });
        }
        Proc.send(first, new Next(prev));
        return first;
    }
}
