package otp4j.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.typesafe.config.ConfigFactory;

/**
 * The one command behind {@code benchmarks/run.sh}: runs every selected workload on otp4j, on the
 * bare virtual-thread floor, on BEAM and on Apache Pekko with its default and its virtual-thread
 * dispatcher (those of them the workload has), each run in a fresh JVM (or {@code erl}),
 * interleaved (pass 1: w1 otp4j, w1 vt, w1 beam, w1 pekko, w1 pekko-vt, w2 otp4j, ...; then
 * pass 2, with the implementations' order rotated one place: w1 vt, w1 beam, ..., w1 otp4j; see
 * {@link #inPassOrder}), and prints a Markdown table of the medians.
 *
 * <pre>
 * Runner [--quick] [--passes N] [--jdk-defaults] [--observer] [w1 w2 w3 w4 w5 w6 w7 w8 w9]
 * </pre>
 *
 * <p>{@code --observer} runs each otp4j workload a second time per pass with the observer open
 * on its node and its processes page read every second from another JVM, as a browser would
 * ({@code otp4j+observer}; {@link PagePoller}), and adds a table of the observer's overhead.
 *
 * <p>Every figure line of every run goes to stdout as {@code pass<i> <impl>.<name> <value> <unit>},
 * then the table; progress goes to stderr as {@code # } lines. A workload name it does not know,
 * a missing {@code erl} and a run that fails or times out each get a line, and the other runs go
 * on; a failed run's figures are left out of the table. Exits with 1 when a run failed or a
 * workload was unknown, 2 when the arguments name nothing to run.
 */
public final class Runner {
    /**
     * The runtime's recommended JVM settings, given to every child JVM (otp4j's, the floor's and
     * Pekko's) unless {@code --jdk-defaults}. The add-opens flag lets otp4j install its own scheduler
     * (without it otp4j falls back to the JDK's); a young generation of 4 GB keeps G1 from
     * copying a million live processes again and again.
     */
    static final String RECOMMENDED_JVM_FLAGS =
            "--add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false -XX:+UseG1GC -Xmn4g -Xmx16g"
                    + " -XX:+UseTransparentHugePages";

    private static final String OTP4J = "otp4j";
    private static final String VT = "vt";
    private static final String BEAM = "beam";
    private static final String PEKKO = "pekko";
    private static final String PEKKO_VT = "pekko-vt";
    /** H2's MVStore, W8's embedded peer: shown in a table of its own after the main one. */
    private static final String MVSTORE = "mvstore";
    /** otp4j with the observer open and polled: see {@link Bench#otp4j}. */
    private static final String OBSERVED = "otp4j+observer";

    /**
     * A workload: its Erlang module, the size arguments that program and {@link Bench} take, and
     * the implementations it has.
     */
    record Workload(String name, String erlModule, String fullSizes, String quickSizes, List<String> impls) {
    }

    /**
     * Full sizes are those of the reference runs; quick ones keep the whole run, every
     * implementation once, under 2 minutes on an idle 2-core machine.
     */
    private static final List<Workload> WORKLOADS = List.of(
            new Workload("w1", "w1_spawn", "1000000", "50000", List.of(OTP4J, VT, BEAM, PEKKO, PEKKO_VT)),
            new Workload("w2", "w2_ring", "10000 1000 100 100000", "1000 100 100 2000",
                    List.of(OTP4J, VT, BEAM, PEKKO, PEKKO_VT)),
            new Workload("w3", "w3_pingpong", "1000000", "100000", List.of(OTP4J, VT, BEAM, PEKKO, PEKKO_VT)),
            new Workload("w4", "w4_fanin", "100 100000", "100 5000", List.of(OTP4J, VT, BEAM, PEKKO, PEKKO_VT)),
            new Workload("w5", "w5_genserver", "1000000 100 10000", "50000 100 500",
                    List.of(OTP4J, VT, BEAM, PEKKO, PEKKO_VT)),
            new Workload("w6", "w6_skynet", "1000000", "10000", List.of(OTP4J, VT, BEAM, PEKKO, PEKKO_VT)),
            new Workload("w7", "w7_ets", "1000000 10000000 10000000 1000 100000 100",
                    "100000 1000000 1000000 1000 10000 100", List.of(OTP4J, VT, BEAM)),
            new Workload("w8", "w8_dets", "100000 100000", "10000 10000", List.of(OTP4J, VT, BEAM, MVSTORE)),
            new Workload("w9", "w9_sup", "10000", "2000", List.of(OTP4J, VT, BEAM, PEKKO, PEKKO_VT)));

    /** Medians of the BEAM reference runs, full sizes only: a shared 2-core VM, Erlang/OTP 25 (JIT, +S 2). */
    private static final Map<String, Double> BEAM_REFERENCE = Map.ofEntries(
            Map.entry("w1_spawn_s", 6.72), Map.entry("w1_mem_per_proc_processes", 2648.0), Map.entry("w1_exit_s", 1.39),
            Map.entry("w2_ring_10k_hops_per_s", 3.43e6), Map.entry("w2_ring_100_hops_per_s", 6.28e6),
            Map.entry("w3_pingpong_ns_per_rt", 312.0), Map.entry("w4_fanin_msgs_per_s", 8.11e6),
            Map.entry("w5a_call_1client_per_s", 853e3), Map.entry("w5b_call_100clients_per_s", 1.04e6),
            Map.entry("w6_skynet_s", 2.17),
            Map.entry("w7a_set_insert_per_s", 1.50e6), Map.entry("w7a_set_bytes_per_record", 64.0),
            Map.entry("w7b_set_lookup_1proc_per_s", 2.01e6), Map.entry("w7c_set_rc_lookup_2proc_per_s", 3.85e6),
            Map.entry("w7d_update_counter_2proc_per_s", 13.7e6), Map.entry("w7e_oset_insert_per_s", 6.00e6),
            Map.entry("w7e_oset_insert_shuffled_per_s", 845e3), Map.entry("w7e_oset_range_next_per_s", 102690.0),
            Map.entry("w7e_oset_range_select_per_s", 14.0),
            Map.entry("w8a_insert_per_s", 38e3), Map.entry("w8a_file_size", 14.7e6), Map.entry("w8b_reopen_s", 0.32e-3),
            Map.entry("w8b_lookup_per_s", 151e3), Map.entry("w8c_bulk_insert_s", 0.69),
            Map.entry("w8d_repair_reopen_s", 0.31),
            Map.entry("w9_restarts_per_s", 10718.0),
            Map.entry("w9_restarts_first1000_per_s", 77563.0), Map.entry("w9_restarts_last1000_per_s", 5314.0));

    private static final Pattern FIGURE = Pattern.compile("(\\S+) (-?[0-9.]+(?:[eE][-+]?[0-9]+)?) (\\S+)");
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final String PEKKO_VERSION = ConfigFactory.defaultReference().getString("pekko.version");

    private final Options options;
    /** Figure name, then implementation, then one value per successful run; in order of appearance. */
    private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    /** Where the compiled Erlang programs are, or null when erl is not installed. */
    private Path ebin;
    /** Why BEAM was not run, or null when it was. */
    private String beamMissing;

    Runner(Options options) {
        this.options = options;
        options.unknown.forEach(name -> failures.add(unknownWorkload(name)));
    }

    public static void main(String[] args) throws IOException, InterruptedException, URISyntaxException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("run.sh: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Runner runner = new Runner(options);
        runner.failures.forEach(f -> System.err.println("# SKIPPED " + f));
        runner.runAll();
        runner.printTable(System.out);
        System.exit(runner.failures.isEmpty() ? 0 : 1);
    }

    static final String USAGE = "usage: run.sh [--quick] [--passes N] [--jdk-defaults] [--observer] ["
            + String.join(" ", WORKLOADS.stream().map(Workload::name).toList()) + "]";

    private static String unknownWorkload(String name) {
        return "unknown workload " + name + ", not run (known: "
                + String.join(" ", WORKLOADS.stream().map(Workload::name).toList()) + ")";
    }

    private void runAll() throws IOException, InterruptedException, URISyntaxException {
        if (!onPath("erl") || !onPath("erlc")) {
            beamMissing = "erl or erlc is not on the PATH (Debian: apt-get install erlang-base)";
        } else {
            try {
                ebin = compileErlang();
            } catch (IOException | IllegalStateException e) {
                beamMissing = "the Erlang programs did not compile: " + e.getMessage();
            }
        }
        if (beamMissing != null) {
            System.err.println("# BEAM not run: " + beamMissing + "; the BEAM column shows reference figures");
        }
        List<String> impls = new ArrayList<>(ebin == null ? List.of(OTP4J, VT, PEKKO, PEKKO_VT, MVSTORE)
                : List.of(OTP4J, VT, BEAM, PEKKO, PEKKO_VT, MVSTORE));
        if (options.observer) {
            impls.add(1, OBSERVED);
        }
        System.err.println("# " + options.workloads.stream().map(Workload::name).toList() + " x " + impls + ", "
                + options.passes + " pass(es), " + (options.quick ? "quick" : "full") + " sizes, JDK "
                + Runtime.version() + ", " + CORES + " processors, child JVM flags: " + jvmFlagsLabel());
        for (int pass = 1; pass <= options.passes; pass++) {
            List<String> order = inPassOrder(impls, pass);
            for (Workload w : options.workloads) {
                for (String impl : order) {
                    if (w.impls.contains(impl) || impl.equals(OBSERVED) && w.impls.contains(OTP4J)) {
                        run(pass, w, impl);
                    }
                }
            }
        }
    }

    /**
     * {@return the implementations in the order pass {@code pass} runs them}: the first pass's
     * order, rotated one place further each pass, so that no implementation runs first (or
     * second) in every pass. On a VM the first run to touch a lot of memory after a while pays for
     * the host backing it: three W1 runs of otp4j in a row took 1.56, 0.33 and 0.37 s to spawn,
     * the JVMs taking 3.2, 0.8 and 0.7 s of kernel time, and the run that followed another JVM of
     * the same workload was faster whatever it was (the observer's run, 0.30-0.57 s, after
     * otp4j's, 1.64-1.90 s, in every pass). Rotated, that cost falls on a different
     * implementation each pass, and the median of three passes leaves it out.
     */
    static List<String> inPassOrder(List<String> impls, int pass) {
        List<String> order = new ArrayList<>(impls);
        Collections.rotate(order, -((pass - 1) % Math.max(1, order.size())));
        return order;
    }

    private void run(int pass, Workload w, String impl) throws IOException, InterruptedException {
        String what = "pass " + pass + "/" + options.passes + " " + w.name + " " + impl;
        System.err.println("# " + what);
        long t0 = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(command(w, impl)).start();
        } catch (IOException e) {
            failures.add(what + ": did not start: " + e.getMessage());
            System.err.println("# FAILED " + what + ": did not start: " + e.getMessage());
            return;
        }
        Map<String, Double> got = new LinkedHashMap<>();
        // The first error line of the run, from either stream, to name in the failure line.
        AtomicReference<String> error = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> readFigures(p, pass, impl, got, error));
        Thread errors = Thread.ofPlatform().start(() -> readErrors(p, error));
        long timeout = options.quick ? 120 : 600;
        boolean finished = p.waitFor(timeout, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        reader.join();
        errors.join();
        String failure = !finished ? "timed out after " + timeout + " s"
                : p.exitValue() != 0 ? "exit status " + p.exitValue() + (error.get() != null ? ", " + error.get() : "")
                : got.isEmpty() ? "no figures" : null;
        if (failure != null) {
            failures.add(what + ": " + failure);
            System.err.println("# FAILED " + what + ": " + failure);
            return;
        }
        got.forEach((figure, v) -> add(impl, figure, v, units.get(figure)));
        System.err.printf(Locale.ROOT, "# %s took %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Echoes the figures to stdout and collects them; other output goes to stderr. An error
     * line (erl prints its errors to stdout) is kept in {@code error} unless one came first.
     */
    private void readFigures(Process p, int pass, String impl, Map<String, Double> got, AtomicReference<String> error) {
        try (BufferedReader in = p.inputReader()) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Matcher m = FIGURE.matcher(line);
                if (!m.matches()) {
                    System.err.println("# " + impl + ": " + line);
                    keepError(line, error);
                    continue;
                }
                // The JVM programs prefix their figures with the implementation; erl does not.
                String prefix = (impl.equals(OBSERVED) ? OTP4J : impl) + ".";
                String figure = m.group(1).startsWith(prefix) ? m.group(1).substring(prefix.length()) : m.group(1);
                got.put(figure, Double.parseDouble(m.group(2)));
                units.putIfAbsent(figure, m.group(3));
                System.out.println("pass" + pass + " " + impl + "." + figure + " " + m.group(2) + " " + m.group(3));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Echoes a run's stderr to ours, keeping its first error line in {@code error}. */
    private static void readErrors(Process p, AtomicReference<String> error) {
        try (BufferedReader in = p.errorReader()) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                System.err.println(line);
                keepError(line, error);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The workload programs start an error line with {@code # ERROR} (JVM) or {@code ERROR} (erl). */
    private static void keepError(String line, AtomicReference<String> error) {
        if (line.startsWith("# ERROR ") || line.startsWith("ERROR ")) {
            error.compareAndSet(null, line.substring(line.indexOf("ERROR")));
        }
    }

    private List<String> command(Workload w, String impl) {
        List<String> cmd = new ArrayList<>();
        if (impl.equals(BEAM)) {
            // Log events to stderr, so that stdout carries figures only; as many schedulers as
            // the JVMs get carriers.
            cmd.addAll(List.of("erl", "-noshell", "+S", Integer.toString(CORES), "+P", "5000000",
                    "-pa", ebin.toString(),
                    "-kernel", "logger", "[{handler,default,logger_std_h,#{config=>#{type=>standard_error}}}]",
                    "-run", w.erlModule, "main"));
        } else {
            cmd.add(ProcessHandle.current().info().command().orElseThrow());
            if (!options.jdkDefaults) {
                cmd.addAll(Arrays.asList(RECOMMENDED_JVM_FLAGS.split(" ")));
            }
            if (impl.equals(OBSERVED)) {
                cmd.add("-D" + Bench.OBSERVER_PROPERTY + "=true");
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Bench.class.getName(), w.name,
                    impl.equals(OBSERVED) ? OTP4J : impl));
        }
        cmd.addAll(Arrays.asList((options.quick ? w.quickSizes : w.fullSizes).split(" ")));
        return cmd;
    }

    /** Compiles the Erlang programs (in src/main/erlang of this module) into target/erlang-ebin. */
    private static Path compileErlang() throws IOException, InterruptedException, URISyntaxException {
        // This class is in target/classes, or in a jar in target.
        Path target = Path.of(Runner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        Path out = Files.createDirectories(target.resolve("erlang-ebin"));
        List<String> cmd = new ArrayList<>(List.of("erlc", "-o", out.toString()));
        try (Stream<Path> sources = Files.list(target.resolveSibling("src").resolve("main").resolve("erlang"))) {
            sources.filter(f -> f.toString().endsWith(".erl")).sorted().forEach(f -> cmd.add(f.toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader in = p.inputReader()) {
            in.lines().forEach(l -> System.err.println("# erlc: " + l));
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("erlc failed: " + String.join(" ", cmd));
        }
        return out;
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    private String jvmFlagsLabel() {
        return options.jdkDefaults ? "none (JDK defaults)" : "`" + RECOMMENDED_JVM_FLAGS + "` (recommended)";
    }

    // ------------------------------------------------------------------ the table

    /** Records one figure of a successful run. */
    void add(String impl, String figure, double value, String unit) {
        values.computeIfAbsent(figure, f -> new LinkedHashMap<>()).computeIfAbsent(impl, i -> new ArrayList<>()).add(value);
        units.putIfAbsent(figure, unit);
    }

    void printTable(PrintStream out) {
        boolean refs = !options.quick;
        out.println();
        out.printf(Locale.ROOT, "### otp4j benchmarks: medians of %d pass(es), %s sizes%n%n", options.passes,
                options.quick ? "quick (small)" : "full");
        out.println("JDK " + Runtime.version() + " on " + CORES + " processors; child JVM flags: "
                + jvmFlagsLabel() + "; BEAM: " + (ebin == null ? "not run" : "`erl +S " + CORES + "`")
                + "; Pekko " + PEKKO_VERSION + " typed actors, default dispatcher (Pekko) and virtual-thread"
                + " dispatcher (Pekko VT).");
        out.println("Ratios: above 1 means otp4j is ahead (otp4j/other for rates, other/otp4j for"
                + " times, ns and bytes).");
        out.println();
        out.println("| figure | unit | otp4j | vt floor | BEAM | Pekko | Pekko VT | otp4j/BEAM | otp4j/Pekko"
                + " | otp4j/Pekko VT | otp4j/floor |");
        out.println("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        boolean anyRef = false;
        for (String figure : values.keySet()) {
            Map<String, List<Double>> byImpl = values.get(figure);
            String unit = units.get(figure);
            if (unit.equals("sum")) {
                continue; // a checked result, not a figure: had it been wrong, the run would have failed
            }
            Double otp4j = median(byImpl.get(OTP4J));
            Double vt = median(byImpl.get(VT));
            Double beam = ebin != null ? median(byImpl.get(BEAM)) : refs ? BEAM_REFERENCE.get(figure) : null;
            Double pekko = median(byImpl.get(PEKKO));
            Double pekkoVt = median(byImpl.get(PEKKO_VT));
            boolean beamRef = ebin == null && beam != null;
            anyRef |= beamRef;
            out.println("| " + String.join(" | ", figure, unit, cell(otp4j, false), cell(vt, false),
                    cell(beam, beamRef), cell(pekko, false), cell(pekkoVt, false), ratio(unit, otp4j, beam),
                    ratio(unit, otp4j, pekko), ratio(unit, otp4j, pekkoVt), ratio(unit, otp4j, vt)) + " |");
        }
        if (anyRef) {
            out.println();
            out.println("(ref): BEAM not run here (" + (beamMissing != null ? beamMissing : "erl not found")
                    + "): median of the reference runs at full sizes (a shared 2-core VM, Erlang/OTP 25 with +S 2).");
        }
        printFlatness(out);
        printMvstore(out);
        printObserverOverhead(out);
        if (!failures.isEmpty()) {
            out.println();
            out.println("Failed or skipped, left out of the medians:");
            failures.forEach(f -> out.println("- " + f));
        }
    }

    /**
     * W9's flatness: the rate of the last 1,000 restarts over that of the first 1,000, for each
     * run, then the median per implementation. 1 is flat; the goal is within 1.5× (≥ 0.67).
     */
    private void printFlatness(PrintStream out) {
        Map<String, List<Double>> first = values.get("w9_restarts_first1000_per_s");
        Map<String, List<Double>> last = values.get("w9_restarts_last1000_per_s");
        if (first == null || last == null) {
            return;
        }
        out.println();
        out.println("| W9 flatness | last 1,000 ÷ first 1,000 restarts/s |");
        out.println("|---|--:|");
        // A run adds all its figures or none, so the two lists line up run by run.
        first.forEach((impl, f) -> {
            List<Double> l = last.get(impl);
            List<Double> ratios = IntStream.range(0, f.size()).mapToObj(i -> l.get(i) / f.get(i)).toList();
            out.printf(Locale.ROOT, "| %s | %.2f |%n", impl, median(ratios));
        });
    }

    /** W8's embedded peer, H2's MVStore, beside otp4j: the figures both have. */
    private void printMvstore(PrintStream out) {
        List<String> figures = values.keySet().stream()
                .filter(f -> values.get(f).containsKey(MVSTORE) && values.get(f).containsKey(OTP4J)).toList();
        if (figures.isEmpty()) {
            return;
        }
        out.println();
        out.println("| figure | unit | otp4j | MVStore | otp4j/MVStore |");
        out.println("|---|---|--:|--:|--:|");
        for (String f : figures) {
            Double otp4j = median(values.get(f).get(OTP4J));
            Double mv = median(values.get(f).get(MVSTORE));
            out.println("| " + String.join(" | ", f, units.get(f), cell(otp4j, false), cell(mv, false),
                    ratio(units.get(f), otp4j, mv)) + " |");
        }
    }

    /** otp4j with and without the observer open, from the same passes. */
    private void printObserverOverhead(PrintStream out) {
        if (!options.observer) {
            return;
        }
        out.println();
        out.println("| observer overhead | unit | otp4j | otp4j+observer | cost |");
        out.println("|---|---|--:|--:|--:|");
        values.forEach((figure, byImpl) -> {
            Double off = median(byImpl.get(OTP4J));
            Double on = median(byImpl.get(OBSERVED));
            String unit = units.get(figure);
            if (off != null && on != null && !unit.equals("sum") && off != 0 && on != 0) {
                // The share of the rate (or the time) the observer costs; negative when it ran faster.
                double cost = unit.endsWith("/s") ? 1 - on / off : on / off - 1;
                out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.1f%% |%n", figure, unit, cell(off, false),
                        cell(on, false), 100 * cost);
            }
        });
    }

    private static Double median(List<Double> vs) {
        return vs == null || vs.isEmpty() ? null : Compare.median(vs);
    }

    /** Three significant digits, thousands grouped: the runs do not agree any closer than that. */
    private static String cell(Double v, boolean ref) {
        if (v == null) {
            return "-";
        }
        int magnitude = v == 0 ? 0 : (int) Math.floor(Math.log10(Math.abs(v)));
        String s = magnitude >= 3
                ? String.format(Locale.ROOT, "%,d", new BigDecimal(v).round(new MathContext(3)).longValue())
                : String.format(Locale.ROOT, "%." + (2 - magnitude) + "f", v);
        return ref ? s + " (ref)" : s;
    }

    /** Oriented so that above 1 means otp4j is ahead. */
    private static String ratio(String unit, Double otp4j, Double other) {
        if (otp4j == null || other == null || otp4j == 0 || other == 0) {
            return "-";
        }
        double r = unit.endsWith("/s") ? otp4j / other : other / otp4j;
        return String.format(Locale.ROOT, "%.2f", r);
    }

    // ------------------------------------------------------------------ options

    /**
     * The command line: {@code unknown} holds the workload names that are not workloads, to be
     * reported and skipped; anything else wrong is an {@link IllegalArgumentException}.
     */
    record Options(int passes, boolean quick, boolean jdkDefaults, List<Workload> workloads, List<String> unknown,
                   boolean observer) {
        static Options parse(String... args) {
            Integer passes = null;
            boolean quick = false;
            boolean jdkDefaults = false;
            boolean observer = false;
            List<Workload> selected = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> quick = true;
                    case "--jdk-defaults" -> jdkDefaults = true;
                    case "--observer" -> observer = true;
                    case "--passes" -> {
                        passes = i + 1 < args.length && args[i + 1].matches("[1-9][0-9]{0,5}")
                                ? Integer.parseInt(args[++i]) : null;
                        if (passes == null) {
                            throw new IllegalArgumentException("--passes needs a positive number"
                                    + (i + 1 < args.length ? ", not " + args[i + 1] : ""));
                        }
                    }
                    default -> {
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        WORKLOADS.stream().filter(w -> w.name.equals(a)).findFirst()
                                .ifPresentOrElse(selected::add, () -> unknown.add(a));
                    }
                }
            }
            if (selected.isEmpty() && !unknown.isEmpty()) {
                throw new IllegalArgumentException("nothing to run: " + unknownWorkload(String.join(", ", unknown)));
            }
            return new Options(passes != null ? passes : quick ? 1 : 3, quick, jdkDefaults,
                    selected.isEmpty() ? WORKLOADS : WORKLOADS.stream().filter(selected::contains).toList(),
                    List.copyOf(unknown), observer);
        }
    }
}
