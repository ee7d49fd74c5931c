/**
 * The TTL cache sample: an ETS table owned by a {@code GenServer}, read directly by any process,
 * written through the server, emptied of expired entries on a timer, and gone with its owner.
 */
package otp4j.samples.cache;
