package otp4j.samples.quickstart;

import java.util.List;

import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Matcher;
import otp4j.runtime.Name;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;

/** The README's "Supervise it": the counter under a supervisor, killed and restarted. */
public final class SuperviseIt {
    private SuperviseIt() {
    }

    @SuppressWarnings("try") // the attached process is used through Proc, not by name
    public static void main(String[] args) {
        try (Node node = Node.start(); AttachedProcess me = node.attach()) {
            // @start region="supervise"
            Pid sup = Supervisor.startLink(SupFlags.oneForOne(), List.of(
                    ChildSpec.worker("counter", () -> GenServer.startLink(new Counter(), StartOptions.named("counter")))))
                    .orThrow();
            Name counter = new Name("counter");
            GenServer.cast(counter, new Counter.Add(5));
            long total = GenServer.call(counter, new Counter.Get());
            System.out.println(total);                                     // 5

            Pid first = Proc.whereis("counter").orElseThrow();
            Proc.monitor(first);
            Proc.exit(first, Reason.KILL);                                 // crash it
            Proc.receive(Matcher.type(Down.class));
            Pid second = Supervisor.whichChildren(sup).getFirst().pid().orElseThrow();
            System.out.println(second.equals(first));                      // false: restarted
            long after = GenServer.call(counter, new Counter.Get());
            System.out.println(after);                                     // 0: a fresh state
            // @end
        }
    }
}
