package otp4j.behaviour;

/** {@code gen_server:cast}. Private to this package, so no client can forge one. */
record CastRequest(Object request) {
}
