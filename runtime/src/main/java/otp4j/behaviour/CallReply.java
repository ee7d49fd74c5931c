package otp4j.behaviour;

import otp4j.runtime.Ref;

/** The answer to a {@link CallRequest}, sent to its caller under the call's tag. */
record CallReply(Ref tag, Object value) {
}
