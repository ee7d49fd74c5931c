package otp4j.runtime;

/**
 * The calling thread acting as a process, from {@link Node#attach()} until {@link #close()}.
 * While attached, every {@link Proc} function works on this thread as in any process.
 *
 * <p>If the process is killed or dies of an exit signal while attached, the thread is not
 * interrupted (it belongs to its caller): a receive in progress ends with {@link ProcessExit},
 * and so does every later runtime call, until {@code close()}.
 */
public final class AttachedProcess implements AutoCloseable {
    private final ProcessImpl process;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    AttachedProcess(ProcessImpl process) {
        this.process = process;
    }

    /** {@return the pid of the attached process} */
    public Pid pid() {
        return process.pid;
    }

    /**
     * Ends the process with reason {@code normal} (its links and monitors fire) unless it has
     * already exited, and unbinds the thread. Calling it again does nothing.
     *
     * @throws IllegalCallerException if called from another thread than the one that attached
     */
    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalCallerException("an AttachedProcess must be closed by the thread that attached it ("
                    + owner + ")");
        }
        if (!closed) {
            closed = true;
            process.node.detach(process);
        }
    }

    @Override
    public String toString() {
        return "AttachedProcess[" + process.pid + "]";
    }
}
