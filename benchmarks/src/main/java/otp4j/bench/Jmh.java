package otp4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs JMH's command line ({@code org.openjdk.jmh.Main}) on the microbenchmarks of
 * {@code otp4j.bench.jmh}, their forked JVMs given the runtime's recommended settings
 * ({@link Runner#RECOMMENDED_JVM_FLAGS}), as the workloads' JVMs get them, or none with
 * {@code --jdk-defaults}. Every other argument goes to JMH ({@code -h} lists them).
 */
public final class Jmh {
    private Jmh() {
    }

    public static void main(String[] args) throws Exception {
        List<String> jmh = new ArrayList<>(List.of(args));
        if (!jmh.remove("--jdk-defaults")) {
            jmh.addAll(0, List.of("-jvmArgsPrepend", Runner.RECOMMENDED_JVM_FLAGS));
        }
        org.openjdk.jmh.Main.main(jmh.toArray(String[]::new));
    }
}
