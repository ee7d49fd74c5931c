package otp4j.runtime;

/** The node was shut down: it no longer spawns, sends or registers. */
public final class NodeClosedException extends IllegalStateException {
    NodeClosedException(Node node) {
        super("node " + node.name() + " was shut down; start a new Node to run processes");
    }
}
