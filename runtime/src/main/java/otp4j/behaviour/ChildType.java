package otp4j.behaviour;

/** Whether a child is a worker or a supervisor itself: it sets the child's default shutdown. */
public enum ChildType {
    /** A worker: by default 5 s to stop ({@link OtpDefaults#WORKER_SHUTDOWN}). */
    WORKER,
    /** A supervisor: by default as long as its own children take to stop (SUP-039). */
    SUPERVISOR
}
