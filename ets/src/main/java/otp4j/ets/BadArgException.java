package otp4j.ets;

/**
 * An ETS call was given an argument it cannot accept: Erlang's {@code badarg}. The message says
 * which argument and why. The subclasses name the two cases callers most often handle.
 */
public class BadArgException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** {@return a new exception with {@code message}} */
    public BadArgException(String message) {
        super(message);
    }
}
