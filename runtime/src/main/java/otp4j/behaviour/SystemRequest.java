package otp4j.behaviour;

/** A {@link Sys} request to a server, answered like a call. */
record SystemRequest(From from, SystemCommand command) {
}
