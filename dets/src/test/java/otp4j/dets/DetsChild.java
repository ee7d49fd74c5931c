package otp4j.dets;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;

/**
 * The program the crash tests run in a child JVM, which they kill or which halts without closing
 * its table: DETS's {@code crash_writer} and a writer that reports what it has synced.
 *
 * <ul>
 * <li>{@code crash FILE}: inserts a=1 and b=2, syncs, inserts c=3, halts (DETS-025, DETS-027).</li>
 * <li>{@code synced FILE}: inserts a=1 and b=2, syncs, halts (DETS-028).</li>
 * <li>{@code tryopen FILE}: opens the file and prints {@code OPENED}, or the exception's reason and
 *     message; then waits to be killed if it opened (it holds the lock), or exits.</li>
 * <li>{@code writer FILE N EVERY DURABILITY}: inserts key i with {@link #value(int)} for i from 0 to
 *     N-1; after each multiple of EVERY (with ON_SYNC) syncs and prints {@code SYNCED i}; with
 *     EVERY_WRITE prints {@code WROTE i} after each insert; then {@code DONE}, and waits to be killed.</li>
 * <li>{@code rewriter FILE N}: round r = 0, 1, 2, ...: sets key i to {@link #value(int, int)} for i
 *     from 0 to N-1, prints {@code SYNCING r}, syncs (from round 2 on, the dead records outnumber
 *     the live ones, so the sync compacts the file) and prints {@code SYNCED r}; until killed.</li>
 * </ul>
 */
public final class DetsChild {
    private DetsChild() {}

    /** {@return the value written for key {@code i}: long enough to span buffer boundaries} */
    public static String value(int i) {
        return "value-" + i + "-" + "x".repeat(i % 97);
    }

    /** {@return the value the rewriter writes for key {@code i} in round {@code round}} */
    public static String value(int i, int round) {
        return "r" + round + "-" + value(i);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        try (Node node = Node.start(); AttachedProcess opener = node.attach()) {
            System.err.println("# opener " + opener.pid());
            switch (args[0]) {
                case "crash", "synced" -> {
                    DiskTable<String, Integer> t = Dets.openFile("crash", DetsOptions.defaults().withFile(file));
                    t.insert("a", 1);
                    t.insert("b", 2);
                    t.sync();
                    if (args[0].equals("crash")) {
                        t.insert("c", 3);
                    }
                    System.out.flush();
                    Runtime.getRuntime().halt(0);
                }
                case "writer" -> {
                    int n = Integer.parseInt(args[2]);
                    int every = Integer.parseInt(args[3]);
                    Durability d = Durability.valueOf(args[4]);
                    DiskTable<Integer, String> t = Dets.openFile("w",
                            DetsOptions.defaults().withFile(file).withDurability(d).withoutAutoSave());
                    for (int i = 0; i < n; i++) {
                        t.insert(i, value(i));
                        if (d == Durability.EVERY_WRITE) {
                            System.out.println("WROTE " + i);
                        } else if ((i + 1) % every == 0) {
                            t.sync();
                            System.out.println("SYNCED " + i);
                        }
                    }
                    System.out.println("DONE");
                    System.out.flush();
                    new CountDownLatch(1).await();
                }
                case "rewriter" -> {
                    int n = Integer.parseInt(args[2]);
                    DiskTable<Integer, String> t = Dets.openFile("w", DetsOptions.defaults().withFile(file).withoutAutoSave());
                    for (int round = 0; ; round++) {
                        for (int i = 0; i < n; i++) {
                            t.insert(i, value(i, round));
                        }
                        System.out.println("SYNCING " + round);
                        System.out.flush();
                        t.sync();
                        System.out.println("SYNCED " + round);
                        System.out.flush();
                    }
                }
                case "tryopen" -> {
                    try {
                        Dets.openFile("other", DetsOptions.defaults().withFile(file));
                        System.out.println("OPENED");
                        new CountDownLatch(1).await();
                    } catch (DetsFileException e) {
                        System.out.println(e.reason() + " " + e.getMessage());
                    }
                }
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
    }
}
