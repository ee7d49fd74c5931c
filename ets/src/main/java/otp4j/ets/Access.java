package otp4j.ets;

/**
 * Who may use a table, as ETS's access options. Checked on every call against the calling
 * process; a thread that is not a process may read {@link #PUBLIC} and {@link #PROTECTED}
 * tables and write {@link #PUBLIC} ones, as any process that is not the owner.
 */
public enum Access {
    /** Any process reads and writes; any process may delete the table (ETS-011, ETS-014). */
    PUBLIC,
    /** Any process reads; only the owner writes or deletes. The default (ETS-012). */
    PROTECTED,
    /** Only the owner reads or writes; {@link Table#info()} works from anywhere (ETS-013). */
    PRIVATE
}
