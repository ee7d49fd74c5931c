package otp4j.runtime;

/**
 * Where a message or a monitor can point: a process by its {@link Pid}, a registered
 * {@link Name}, or a {@link Via} name kept by a {@link NameService}; names are resolved when
 * they are used.
 *
 * <p>They differ when nothing is there: a message to a dead pid or to a {@code Name} that is not
 * registered is dropped silently, as Erlang drops {@code Pid ! Msg} and
 * {@code {Name, node()} ! Msg}; {@link Proc#send(String, Object)} with a bare name that is not
 * registered throws instead, as {@code Name ! Msg} does (PROC-001, PROC-029, PROC-030), and so
 * does a {@code Via} that nobody holds.
 */
public sealed interface Dest permits Pid, Name, Via {
}
