/**
 * Erlang's ETS for otp4j: {@link otp4j.ets.Ets} makes tables, {@link otp4j.ets.Table} works on
 * them. Tables map keys to values and are owned by a process; the runtime deletes them, or hands
 * them to an heir, when the owner dies.
 *
 * <h2>Failures</h2>
 * As ETS raises {@code badarg}, these calls throw {@link otp4j.ets.BadArgException}, whose message
 * names the argument and the reason: {@link otp4j.ets.NoSuchTableException} for a deleted table,
 * {@link otp4j.ets.TableAccessException} for an access violation. Null keys, values and options
 * throw {@link java.lang.NullPointerException}.
 *
 * <h2>Concurrency</h2>
 * Reads take no lock; single-key writes are atomic; multi-object writes are all-or-nothing and
 * exclude other writes. Details are in {@link otp4j.ets.Table}.
 */
package otp4j.ets;
