/**
 * Erlang's process model on virtual threads: {@link otp4j.runtime.Node}, processes
 * ({@link otp4j.runtime.Pid}), messages and selective receive, links, monitors, exit signals,
 * registered names and timers. The functions a process calls are in {@link otp4j.runtime.Proc}.
 *
 * <h2>Ordering and visibility</h2>
 * <ul>
 *   <li>Messages and exit signals from one sender to one receiver arrive in the order sent
 *       (PROC-002, EXIT-040). Nothing is promised across senders.</li>
 *   <li>What a process sent before it exited arrives before its {@link otp4j.runtime.Exit}
 *       or {@link otp4j.runtime.Down} (EXIT-038, EXIT-039).</li>
 *   <li>When a process exits, its registered name is free before any link or monitor hears of
 *       it (PROC-033), and by the time {@link otp4j.runtime.Proc#exit(otp4j.runtime.Pid,
 *       otp4j.runtime.Reason)} returns for a fatal signal, the target is no longer alive and its
 *       links and monitors have been notified.</li>
 *   <li>Actions of a sender before {@code send} happen-before the actions of the receiver after
 *       the receive that returns the message. The same holds from a process's last action to
 *       the receiver of its {@code Exit} or {@code Down}.</li>
 *   <li>Messages are passed by reference, not copied: send immutable values (records, strings,
 *       immutable collections), or stop using a mutable object once it is sent.</li>
 * </ul>
 *
 * <h2>Where a function may be called from</h2>
 * Each function says: <b>a process</b> (a spawned process or a thread attached with
 * {@link otp4j.runtime.Node#attach()}; elsewhere it throws {@link IllegalCallerException}), or
 * <b>any thread</b>.
 *
 * <h2>Limits of the JVM</h2>
 * Virtual threads are not preempted. A process that computes without ever calling the runtime or
 * blocking keeps its carrier, and an exit signal reaches its thread only at its next runtime
 * call or blocking point; it is reported by {@link otp4j.runtime.ProcessInfo#runaway()}, and,
 * once killed, by {@link otp4j.runtime.Node#lingering()}. A process that does call the runtime
 * yields its carrier after a budget of work, as BEAM does after its reductions.
 */
package otp4j.runtime;
