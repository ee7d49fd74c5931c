package otp4j.ets;

/** The table was deleted (by {@link Table#delete()} or its owner's death), or no table has that name. */
public final class NoSuchTableException extends BadArgException {
    private static final long serialVersionUID = 1L;

    /** {@return a new exception with {@code message}} */
    public NoSuchTableException(String message) {
        super(message);
    }
}
