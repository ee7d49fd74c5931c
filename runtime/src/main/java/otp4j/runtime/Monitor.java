package otp4j.runtime;

/**
 * One monitor: {@code watcher} gets a {@link Down} tagged {@code ref} when {@code target} exits.
 * It sits in the watcher's {@code monitors} and the target's {@code monitoredBy}, each guarded by
 * its process's lock; the ref's attachment points back here while the monitor is active.
 */
record Monitor(Ref ref, ProcessImpl watcher, ProcessImpl target, Dest item) {
}
