package otp4j.runtime;

import java.util.Objects;

/**
 * Selects messages for a selective receive, like the clauses of Erlang's {@code receive}.
 *
 * <p>{@link Proc#receive(Matcher)} offers the messages of the mailbox to {@link #match} oldest
 * first; the first one for which it returns a non-null result is removed and the result returned.
 * A {@code null} result leaves the message in the mailbox, in its place. A pattern-matching
 * {@code switch} reads like Erlang's clauses:
 *
 * {@snippet :
 * String answer = Proc.receive(m -> switch (m) {
 *     case Reply(var ref, var text) when ref == myRef -> text;
 *     case Down d when d.ref() == monitorRef -> "down: " + d.reason();
 *     default -> null;           // not for this receive: stays in the mailbox
 * });
 * }
 *
 * <p>A matcher should select and compute a result, nothing more: it must not receive. If it
 * throws, the exception propagates from the receive, and the message it was looking at stays in
 * the mailbox, in its place.
 *
 * @param <R> the result of a receive with this matcher
 */
@FunctionalInterface
public interface Matcher<R> {

    /**
     * {@return the result for a message this receive takes, or null to leave it in the mailbox}
     *
     * @param message a message from the mailbox, never null
     */
    R match(Object message);

    /** {@return a matcher taking the oldest message of type {@code type}} */
    static <T> Matcher<T> type(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return m -> type.isInstance(m) ? type.cast(m) : null;
    }

    /** {@return a matcher taking the oldest message of any kind} */
    static Matcher<Object> any() {
        return Any.INSTANCE;
    }
}

/** The matcher of {@link Matcher#any()}: one instance, so the runtime can recognise it. */
enum Any implements Matcher<Object> {
    INSTANCE;

    @Override
    public Object match(Object message) {
        return message;
    }
}
