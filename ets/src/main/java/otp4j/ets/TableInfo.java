package otp4j.ets;

import java.util.Optional;

import otp4j.runtime.Pid;

/**
 * What {@code ets:info/1} tells about a table, read at one moment.
 *
 * @param id         the table's identifier, unique within its node (as a table reference)
 * @param name       the name given at creation (or by {@link Table#rename})
 * @param named      whether the table can be found by its name ({@link Ets#whereis})
 * @param type       the table type
 * @param access     the access rule
 * @param owner      the owning process
 * @param heir       the heir, if one is set
 * @param size       the number of objects (key-value pairs; a bag counts each value)
 */
public record TableInfo(long id, String name, boolean named, TableType type, Access access, Pid owner,
                        Optional<Pid> heir, long size) {
}
