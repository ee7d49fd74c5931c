package otp4j.samples.quickstart;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;

/** The README's quick start, compiled and tested so that it cannot rot. */
public final class QuickStart {
    private QuickStart() {
    }

    /** A request carrying the pid to answer. */
    public record Ping(Pid from) {
    }

    public static void main(String[] args) {
        // @start region="quickstart"
        try (Node node = Node.start();                       // the runtime: carriers, timers, names
             AttachedProcess me = node.attach()) {           // this thread acts as a process
            Pid echo = Proc.spawnLink(() -> {                // linked: if it crashes, we crash too
                for (;;) {
                    if (Proc.receive() instanceof Ping(Pid from)) Proc.send(from, "pong");
                }
            });
            Ref monitor = Proc.monitor(echo);                // a Down arrives when echo exits
            Proc.send(echo, new Ping(me.pid()));
            String reply = Proc.receive(m -> m instanceof String s ? s : null);   // selective receive
            System.out.println(reply);                       // pong
            Proc.unlink(echo);
            Proc.exit(echo, Reason.KILL);                    // untrappable, like exit(Pid, kill)
            Down down = Proc.receive(Matcher.type(Down.class));
            System.out.println(down.ref() == monitor);       // true
            System.out.println(down.reason());               // killed
        }
        // @end
    }
}
