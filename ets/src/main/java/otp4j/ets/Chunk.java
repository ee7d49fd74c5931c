package otp4j.ets;

import java.util.List;
import java.util.Optional;

/**
 * One chunk of a {@link Table#select(Query, int)} traversal and the way to the next, as the
 * {@code {Results, Continuation}} of {@code ets:select/3}.
 *
 * @param <R> the query's result type
 */
public interface Chunk<R> {
    /** {@return this chunk's results: at least one, at most the limit} */
    List<R> results();

    /**
     * Continues the traversal where this chunk ended, as {@code ets:select/1}; empty at the end of
     * the table ({@code '$end_of_table'}). The traversal sees the table as
     * {@link Table} "Traversal" describes. Calling it again returns the same chunk.
     *
     * <p><b>May be called from:</b> any process that may read the table.
     *
     * @throws NoSuchTableException if the table has been deleted since
     */
    Optional<Chunk<R>> next();
}
