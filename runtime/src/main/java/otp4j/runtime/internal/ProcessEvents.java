package otp4j.runtime.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The runtime's JDK Flight Recorder events: a process spawned, a process exited (with its
 * reason), a process crashed. <b>Not API</b>; the event names and fields are, and are listed in
 * the observer's documentation.
 *
 * <p>Cost when no recording enables them: the caller allocates an event and asks
 * {@code isEnabled()}; the JIT removes the allocation, leaving one check of a flag the recorder
 * sets. The payload (a reason's text, a class name) is built only when recording.
 */
public final class ProcessEvents {
    private ProcessEvents() {}

    /** {@code otp4j.ProcessSpawn}: a process has started. */
    @Name("otp4j.ProcessSpawn")
    @Label("Process Spawn")
    @Category({"otp4j", "Processes"})
    @Description("An otp4j process was spawned")
    @StackTrace(false)
    public static final class Spawn extends Event {
        @Label("Node")
        public String node;
        @Label("Pid")
        public String pid;
        @Label("Parent")
        @Description("The spawning process, or empty when spawned from outside any process")
        public String parent;
        @Label("Initial Call")
        public String initialCall;
    }

    /** {@code otp4j.ProcessExit}: a process has exited, for any reason. */
    @Name("otp4j.ProcessExit")
    @Label("Process Exit")
    @Category({"otp4j", "Processes"})
    @Description("An otp4j process exited; its links and monitors are being notified")
    @StackTrace(false)
    public static final class Exit extends Event {
        @Label("Node")
        public String node;
        @Label("Pid")
        public String pid;
        @Label("Reason")
        public String reason;
    }

    /** {@code otp4j.ProcessCrash}: a process's code has thrown. */
    @Name("otp4j.ProcessCrash")
    @Label("Process Crash")
    @Category({"otp4j", "Processes"})
    @Description("An otp4j process's code threw an exception, which ends the process")
    @StackTrace(false)
    public static final class Crash extends Event {
        @Label("Node")
        public String node;
        @Label("Pid")
        public String pid;
        @Label("Exception")
        public String exception;
        @Label("Message")
        public String message;
    }
}
