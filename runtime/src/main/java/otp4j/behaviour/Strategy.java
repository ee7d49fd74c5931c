package otp4j.behaviour;

/** How a {@link Supervisor} restarts its children when one of them exits and must be restarted. */
public enum Strategy {
    /** Only the child that exited (SUP-003, SUP-004). */
    ONE_FOR_ONE,
    /** All children: the others are stopped in reverse start order, then all start again (SUP-005). */
    ONE_FOR_ALL,
    /** The child that exited and the children started after it (SUP-006, SUP-007). */
    REST_FOR_ONE
}
