package otp4j.behaviour;

/**
 * What {@link GenServer#handleCast}, {@link GenServer#handleInfo} and
 * {@link GenServer#handleContinue} return: {@link NoReply} or {@link Stop}. There is nobody to
 * reply to, so a reply does not compile.
 *
 * @param <S> the server's state
 */
public sealed interface Result<S> permits NoReply, Stop {
}
