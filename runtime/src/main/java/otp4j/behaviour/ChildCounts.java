package otp4j.behaviour;

/**
 * A supervisor's children counted, as {@code supervisor:count_children}.
 *
 * @param specs       child specifications
 * @param active      children running
 * @param supervisors specifications of type supervisor, running or not
 * @param workers     specifications of type worker, running or not
 */
public record ChildCounts(int specs, int active, int supervisors, int workers) {
}
