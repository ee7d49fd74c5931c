package otp4j.ets;

import java.util.Optional;
import java.util.OptionalLong;

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
 * @param memory     an estimate of the heap the table takes, in bytes ({@code ets:info(T, memory)},
 *                   which counts words): its map's nodes and bucket array, each object's slot, key
 *                   and value. Kept up to date by every write. Keys and values of the JDK's
 *                   number types, {@code String}, {@link Counters} and primitive arrays are
 *                   counted whole; objects of other classes by their own fields only (their
 *                   shallow size), not the objects those fields refer to; an object stored
 *                   several times is counted each time. Assumes a 64-bit JVM with compressed
 *                   references (a heap under 32 GB). See the ets documentation for how close it is
 * @param readConcurrency  the {@code read_concurrency} option (which changes nothing here: reads
 *                   never lock)
 * @param writeConcurrency the {@code write_concurrency} option
 * @param maxSize    the most objects the table may hold ({@link TableOptions#withMaxSize}), if bounded
 */
public record TableInfo(long id, String name, boolean named, TableType type, Access access, Pid owner,
                        Optional<Pid> heir, long size, long memory, boolean readConcurrency,
                        WriteConcurrency writeConcurrency, OptionalLong maxSize) {
}
