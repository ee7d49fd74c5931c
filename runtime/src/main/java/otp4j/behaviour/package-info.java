/**
 * OTP's behaviours on otp4j processes: {@link otp4j.behaviour.GenServer}, with {@link
 * otp4j.behaviour.Sys} to look into any server.
 *
 * <p>Servers are processes like any other: everything in {@link otp4j.runtime} applies to them
 * (links, monitors, exit signals, names). Their callbacks run one at a time, in the server's
 * own process, so a server's state needs no locking. Replies, like messages, are passed by
 * reference: reply immutable values.
 */
package otp4j.behaviour;
