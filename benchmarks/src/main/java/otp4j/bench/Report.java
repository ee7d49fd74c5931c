package otp4j.bench;

import java.util.Locale;

/**
 * Prints figures as {@code <impl>.<name> <value> <unit>}, one per line on stdout, with the same
 * names, units and number formats as the Erlang programs' {@code bu} module.
 */
final class Report {
    private final String impl;
    private final boolean silent;

    Report(String impl) {
        this(impl, false);
    }

    private Report(String impl, boolean silent) {
        this.impl = impl;
        this.silent = silent;
    }

    /** {@return a report that prints nothing: for the warm-up run} */
    Report silent() {
        return new Report(impl, true);
    }

    /** {@code count} events in {@code nanos}, per second, rounded. */
    void rate(String name, long count, long nanos, String unit) {
        line(name, Long.toString(Math.round(count * 1e9 / nanos)), unit);
    }

    void secs(String name, long nanos) {
        line(name, format(nanos / 1e9), "s");
    }

    void num(String name, long value, String unit) {
        line(name, Long.toString(value), unit);
    }

    void num(String name, double value, String unit) {
        line(name, format(value), unit);
    }

    private void line(String name, String value, String unit) {
        if (silent) {
            return;
        }
        System.out.println(impl + "." + name + " " + value + " " + unit);
    }

    private static String format(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.3f" : "%.5f", v);
    }
}
