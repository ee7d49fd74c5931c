package otp4j.samples.pipeline;

import java.nio.file.Path;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;

/** DetsJobStoreTest's child JVM: adds jobs to the store in {@code args[0]} until it is killed. */
final class DetsJobStoreChild {
    /** How many adds the test waits for before it kills the child. */
    static final long BEFORE_KILL = 50;

    private DetsJobStoreChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Node node = Node.start(); AttachedProcess me = node.attach();
             DetsJobStore store = DetsJobStore.open(Path.of(args[0]))) {
            System.out.println("opened by " + me.pid()); // the opener, which the table is tied to
            for (long n = 1; ; n++) {
                long id = store.add(new Job("count", Long.toString(n)));
                System.out.println("added " + id);
                System.out.flush();
            }
        }
    }
}
