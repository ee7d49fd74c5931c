package otp4j.behaviour;

import otp4j.runtime.Ref;

/** What a starting server tells its starter once {@code init} has returned. */
record InitAck(Ref tag, StartResult result) {
}
