package otp4j.observer;

import java.time.Duration;

import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Proc;

/**
 * A figure, not a test: how long the processes page takes on a node of a million processes.
 * Spawns them (blocked in receive, a few with mailboxes), starts an observer, then times a
 * sample (the walk of the process table) and the page's answers, each several times; prints
 * the medians. Run with the test classpath and the recommended JVM settings, and a heap for a
 * million processes:
 *
 * <pre>
 * java -Xmx6g -XX:+UseG1GC -Xmn3g --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false \
 *     -cp ... otp4j.observer.MillionProcesses [processes]
 * </pre>
 */
public final class MillionProcesses {
    private MillionProcesses() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (Node node = Node.start()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                var p = node.spawn(() -> Proc.receive(Matcher.type(Void.class)));
                if (i % 100_000 == 0) {
                    Proc.send(p, "a message");
                }
            }
            System.out.printf("spawned %,d processes in %.2f s%n", n, (System.nanoTime() - t0) / 1e9);
            try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node)
                    .withRefreshInterval(Duration.ofHours(1)))) {
                for (int round = 0; round < 2; round++) { // the first round warms up
                    long[] sample = new long[5];
                    long[][] pages = new long[4][5];
                    String[] paths = {"/api/processes?sort=reductionsDelta&limit=50",
                            "/api/processes?sort=memory&limit=500", "/api/processes?sort=pid&order=asc&limit=50",
                            "/api/processes?filter=MillionProcesses&limit=50"};
                    for (int k = 0; k < 5; k++) {
                        long s = System.nanoTime();
                        o.server().sampleNow();
                        sample[k] = System.nanoTime() - s;
                        for (int p = 0; p < paths.length; p++) {
                            long t = System.nanoTime();
                            Http.Answer a = Http.get(o, paths[p]);
                            pages[p][k] = System.nanoTime() - t;
                            if (a.status() != 200) {
                                throw new AssertionError(paths[p] + " -> " + a.status() + " " + a.body());
                            }
                        }
                    }
                    if (round == 1) {
                        System.out.printf("sample (walk of %,d processes): median %.0f ms%n", n, median(sample) / 1e6);
                        for (int p = 0; p < paths.length; p++) {
                            System.out.printf("GET %s: median %.0f ms%n", paths[p], median(pages[p]) / 1e6);
                        }
                    }
                }
            }
        }
    }

    private static double median(long[] v) {
        long[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }
}
