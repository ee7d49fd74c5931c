/**
 * Erlang's DETS for otp4j: {@link otp4j.dets.Dets} opens disk tables, {@link otp4j.dets.DiskTable}
 * works on them. A disk table is a set, bag or duplicate bag in a file that survives a crash,
 * opened and closed by processes; it shares {@link otp4j.ets.Query}, {@link otp4j.ets.TableType},
 * {@link otp4j.ets.CounterOp}, {@link otp4j.ets.TermCodec} and the exceptions with the ets module.
 *
 * <h2>Failures</h2>
 * Opening reports what DETS returns as {@code {error, Reason}} as a
 * {@link otp4j.dets.DetsFileException} with a {@link otp4j.dets.DetsFileException.Reason}, or the
 * JDK's {@link java.nio.file.NoSuchFileException} and {@link java.nio.file.AccessDeniedException}.
 * Calls report DETS's {@code badarg} as {@link otp4j.ets.BadArgException} and its subclasses; file
 * errors during a call as {@link java.io.UncheckedIOException}. Nothing fails silently.
 *
 * <h2>Crash safety</h2>
 * The file is an append-only log; every record carries a CRC32C. After a crash, opening replays
 * the records written since the last clean point and cuts a torn write at the end; damage in the
 * middle is refused, never read as a wrong value. The file format and the recovery rules are in
 * the dets-format document.
 */
package otp4j.dets;
