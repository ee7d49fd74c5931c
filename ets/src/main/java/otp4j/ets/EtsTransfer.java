package otp4j.ets;

import otp4j.runtime.Pid;

/**
 * The message a process gets when it becomes a table's owner through {@link Table#giveAway} or
 * as its heir, as Erlang's {@code {'ETS-TRANSFER', Tab, FromPid, Data}} (ETS-016, ETS-021).
 *
 * @param table the table, now owned by the receiver
 * @param from  the previous owner: the giver, or the owner that died
 * @param data  the gift data, or the heir data
 */
public record EtsTransfer(Table<?, ?> table, Pid from, Object data) {
}
