package otp4j.behaviour;

import java.util.Objects;

import otp4j.runtime.Pid;

/**
 * What a traced server sends its tracer for each message it handles and each reply it sends
 * (see {@link Sys#trace(otp4j.runtime.Dest, Pid)}).
 *
 * @param server    the traced server
 * @param direction {@link Direction#IN} for a message handled, {@link Direction#OUT} for a reply
 * @param message   the message; for {@code OUT}, a {@link Sent}
 */
public record TraceEvent(Pid server, Direction direction, Object message) {
    public TraceEvent {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(message, "message");
    }

    /** In or out of the server. */
    public enum Direction {
        /** A message the server took. */
        IN,
        /** A reply the server sent. */
        OUT
    }

    /**
     * A reply and where it went.
     *
     * @param to      the caller
     * @param message the reply
     */
    public record Sent(Pid to, Object message) {
    }
}
