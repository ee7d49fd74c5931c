package otp4j.ets;

/**
 * The calling process may not do this to the table: write a protected table it does not own,
 * touch a private one, or change ownership or options of a table it does not own.
 */
public final class TableAccessException extends BadArgException {
    private static final long serialVersionUID = 1L;

    /** {@return a new exception with {@code message}} */
    public TableAccessException(String message) {
        super(message);
    }
}
