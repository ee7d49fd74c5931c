package otp4j.behaviour;

/**
 * What {@link GenServer#handleCall} returns: {@link Reply}, {@link NoReply} (reply later with
 * {@link GenServer#reply(From, Object)}), {@link Stop} or {@link StopReply}.
 *
 * @param <S> the server's state
 */
public sealed interface CallResult<S> permits Reply, NoReply, Stop, StopReply {
}
