package otp4j.behaviour;

/** {@code gen_server:call}: a request and who waits for the answer. Private to this package. */
record CallRequest(From from, Object request) {
}
