package otp4j.dets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the dets tests share: running a child JVM. */
public final class DetsTesting {
    private DetsTesting() {}

    /** Starts {@link DetsChild} in a new JVM with {@code args}; its stderr goes to a file next to the table. */
    public static java.lang.Process child(Path logDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Xshare:auto");
        cmd.add(DetsChild.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(logDir.resolve("child-stderr.txt").toFile()).start();
    }

    /** Runs a child to its end (it halts by itself) and fails if it does not exit with 0. */
    public static void runChild(Path logDir, String... args) throws IOException, InterruptedException {
        java.lang.Process p = child(logDir, args);
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child " + List.of(args) + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("child " + List.of(args) + " exited with " + p.exitValue() + "; see "
                    + logDir.resolve("child-stderr.txt"));
        }
    }

    /**
     * Reads the child's output lines until {@code stop} accepts one (or the output ends), then kills
     * it with SIGKILL and waits for it; {@return the lines read}
     */
    public static List<String> readThenKill(java.lang.Process p, Predicate<String> stop) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (stop.test(line)) {
                    break;
                }
            }
            p.destroyForcibly();
            p.waitFor();
        }
        return lines;
    }
}
