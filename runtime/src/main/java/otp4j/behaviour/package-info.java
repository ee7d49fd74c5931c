/**
 * OTP's behaviours on otp4j processes: {@link otp4j.behaviour.GenServer} and
 * {@link otp4j.behaviour.Supervisor} as in OTP, with {@link otp4j.behaviour.Sys} to look into
 * any server; {@link otp4j.behaviour.Application} to start and stop supervision trees as named
 * units with their configuration and dependencies; Elixir's {@link otp4j.behaviour.DynamicSupervisor}, {@link otp4j.behaviour.Task},
 * {@link otp4j.behaviour.Agent} and {@link otp4j.behaviour.Registry}.
 *
 * <p>Servers are processes like any other: everything in {@link otp4j.runtime} applies to them
 * (links, monitors, exit signals, names). Their callbacks run one at a time, in the server's
 * own process, so a server's state needs no locking. Replies, like messages, are passed by
 * reference: reply immutable values.
 */
package otp4j.behaviour;
