package otp4j.observer.internal;

import java.util.List;
import java.util.Optional;

/**
 * One kind of table the observer lists and browses: a {@link KindTables} over the kind's adapter
 * ({@link EtsTables}, {@link DetsTables}). Every call is made from an observer thread, which is
 * not a process: a provider shows only what such a thread may read.
 */
public interface TableProvider {
    /** {@return the kind's name in URLs and JSON, such as {@code ets}} */
    String kind();

    /** {@return every table of this kind on the node} */
    List<TableRow> tables();

    /** {@return the total bytes of memory the kind's tables hold (for the system page)} */
    long memory();

    /**
     * {@return the objects of table {@code id} from position {@code offset}, at most
     * {@code limit}}; empty if there is no such table.
     *
     * @throws HttpError 403 if the table's contents may not be shown (private)
     */
    Optional<TablePage> page(long id, long offset, int limit);

    /**
     * Deletes the object at position {@code position}, which must still have key text
     * {@code key} and value text {@code value} (so that a table changed since it was shown
     * loses nothing it did not show).
     *
     * @throws HttpError 404 if no such table or object, 403 if the table is not writable
     */
    void deleteObject(long id, long position, String key, String value);

    /**
     * A table as the list shows it.
     *
     * @param fileSize bytes on disk, or -1 for a table only in memory
     * @param readable whether its contents may be browsed (not private)
     * @param writable whether an action may delete its objects (public)
     */
    record TableRow(String kind, long id, String name, boolean named, String type, String access, String owner,
                    String heir, long size, long memory, long fileSize, boolean readable, boolean writable) {
    }

    /**
     * A page of a table's objects, each shown as text.
     *
     * @param more whether objects follow this page
     */
    record TablePage(TableRow table, long offset, List<String[]> rows, boolean more) {
    }
}
