package otp4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regression guard behind {@code benchmarks/compare.sh}: compares the figures of a new
 * {@link Runner} run with those of a saved baseline run and prints every figure that got more
 * than 20% worse, and every figure of the baseline that the new run lacks (a run that failed).
 *
 * <pre>
 * Compare [--threshold PERCENT] BASELINE NEW
 * </pre>
 *
 * <p>Both files are a Runner's stdout: its {@code pass<i> <impl>.<name> <value> <unit>} lines
 * are read (a bare {@code Bench}'s {@code <impl>.<name> <value> <unit>} lines too), everything
 * else is skipped, and each figure is compared by its median over the passes. "Worse" follows
 * the unit: a rate (a unit ending in {@code /s}) that fell, a time, a latency or a size that
 * grew. A figure more than 20% worse costs more than 1.2× the baseline's: it takes more than
 * 1.2× the time or the bytes, or runs at less than 1/1.2 of the rate. Checked sums are no
 * figures and are skipped. Exits with 1 when something got worse or is missing, 2 on bad input.
 *
 * <p>This class uses the JDK only, so that {@code compare.sh} runs it from its source file
 * without a build.
 */
public final class Compare {
    private static final Pattern FIGURE =
            Pattern.compile("(?:pass[0-9]+ )?(\\S+\\.\\S+) (-?[0-9.]+(?:[eE][-+]?[0-9]+)?) (\\S+)");

    private Compare() {
    }

    /** A figure's median over the passes of one run, and its unit. */
    record Figure(double median, String unit) {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("compare.sh: " + e.getMessage());
            System.err.println("usage: compare.sh [--threshold PERCENT] BASELINE NEW");
            status = 2;
        }
        System.exit(status);
    }

    /** {@return the exit status}: 0 when nothing got worse, 1 otherwise */
    static int run(String[] args, PrintStream out) {
        double threshold = 20;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--threshold")) {
                if (i + 1 >= args.length || !args[i + 1].matches("[0-9]+(\\.[0-9]+)?")) {
                    throw new IllegalArgumentException("--threshold needs a percentage, such as 20");
                }
                threshold = Double.parseDouble(args[++i]);
            } else if (args[i].startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            } else {
                files.add(args[i]);
            }
        }
        if (files.size() != 2) {
            throw new IllegalArgumentException("needs two files, the baseline and the new run; got " + files.size());
        }
        Map<String, Figure> baseline = read(Path.of(files.get(0)));
        Map<String, Figure> current = read(Path.of(files.get(1)));
        return compare(baseline, current, threshold, out);
    }

    /** {@return the exit status}: 0 when no figure is more than {@code threshold} percent worse or missing */
    static int compare(Map<String, Figure> baseline, Map<String, Figure> current, double threshold, PrintStream out) {
        double limit = 1 + threshold / 100;
        int compared = 0;
        int worse = 0;
        int missing = 0;
        for (Map.Entry<String, Figure> e : baseline.entrySet()) {
            String name = e.getKey();
            Figure base = e.getValue();
            Figure now = current.get(name);
            if (now == null) {
                out.println("missing " + name + ": in the baseline, not in the new run");
                missing++;
                continue;
            }
            if (!now.unit().equals(base.unit())) {
                out.println("missing " + name + ": in " + base.unit() + " in the baseline, in " + now.unit() + " now");
                missing++;
                continue;
            }
            compared++;
            double cost = cost(base, now);
            if (cost > limit) {
                worse++;
                out.printf(Locale.ROOT, "worse %s: %s -> %s %s (%.2fx the baseline's cost)%n", name,
                        number(base.median()), number(now.median()), now.unit(), cost);
            }
        }
        out.printf(Locale.ROOT, "%d figures compared, %d more than %s%% worse, %d missing%n", compared, worse,
                number(threshold), missing);
        return worse + missing == 0 ? 0 : 1;
    }

    /**
     * {@return how many times the baseline's cost the new figure costs}: the time, latency or
     * bytes over the baseline's, or for a rate the baseline's over the new one
     */
    static double cost(Figure base, Figure now) {
        if (base.unit().endsWith("/s")) {
            return now.median() == 0 ? Double.POSITIVE_INFINITY : base.median() / now.median();
        }
        return base.median() == 0 ? (now.median() == 0 ? 1 : Double.POSITIVE_INFINITY) : now.median() / base.median();
    }

    /** {@return the figures of a run's output, by {@code <impl>.<name>}} */
    static Map<String, Figure> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, Figure> figures = parse(lines);
        if (figures.isEmpty()) {
            throw new IllegalArgumentException(file + " has no figure lines (pass<i> <impl>.<name> <value> <unit>)");
        }
        return figures;
    }

    /** {@return the medians of the figure lines among {@code lines}, checked sums left out} */
    static Map<String, Figure> parse(List<String> lines) {
        Map<String, List<Double>> values = new TreeMap<>();
        Map<String, String> units = new TreeMap<>();
        for (String line : lines) {
            Matcher m = FIGURE.matcher(line.strip());
            if (m.matches() && !m.group(3).equals("sum")) {
                values.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
                units.putIfAbsent(m.group(1), m.group(3));
            }
        }
        Map<String, Figure> figures = new TreeMap<>();
        values.forEach((name, vs) -> figures.put(name, new Figure(median(vs), units.get(name))));
        return figures;
    }

    /** {@return the median of {@code vs}, which is not empty} */
    static double median(List<Double> vs) {
        double[] s = vs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}
