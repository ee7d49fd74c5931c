package otp4j.observer.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The terminal view's screen, drawn from the JSON API's answers: a header of node counters, the
 * top processes by the chosen column, and the largest tables. Pure: the same answers give the
 * same text, so it is tested by rendering to a string.
 */
public final class TopView {
    private TopView() {}

    /** A sort column and the key that picks it. */
    public enum Sort {
        REDUCTIONS_DELTA('r', "reductionsDelta", "reductions per interval"),
        REDUCTIONS('R', "reductions", "reductions"),
        MAILBOX('b', "messageQueueLength", "mailbox length"),
        MEMORY('m', "memory", "memory"),
        RECEIVED_DELTA('d', "messagesReceivedDelta", "messages received per interval"),
        PID('p', "pid", "pid"),
        NAME('n', "name", "name");

        public final char key;
        public final String column;
        public final String label;

        Sort(char key, String column, String label) {
            this.key = key;
            this.column = column;
            this.label = label;
        }

        /** {@return the order a column sorts in: numbers largest first, pids and names A to Z} */
        public String order() {
            return this == PID || this == NAME ? "asc" : "desc";
        }

        /** {@return the sort key {@code c} picks, or null} */
        public static Sort of(char c) {
            for (Sort s : values()) {
                if (s.key == c) {
                    return s;
                }
            }
            return null;
        }
    }

    /** The key that quits. */
    public static final char QUIT = 'q';

    /**
     * {@return the screen for answers {@code system} ({@code /api/system}), {@code processes}
     * ({@code /api/processes}) and {@code tables} ({@code /api/tables}), {@code width} columns wide}
     */
    @SuppressWarnings("unchecked")
    public static String render(Map<String, Object> system, Map<String, Object> processes,
                                Map<String, Object> tables, Sort sort, int width) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> s = (Map<String, Object>) system.get("sample");
        Map<String, Object> mem = (Map<String, Object>) s.get("memory");
        line(b, width, "otp4j top: node %s   otp4j %s   Java %s   uptime %s", system.get("node"),
                system.get("otp4jVersion"), system.get("javaVersion"), uptime((Long) system.get("jvmUptimeMillis")));
        line(b, width, "processes %,d  run queue %,d  carriers %,d  messages/s %,d  reductions/s %,d",
                s.get("processes"), s.get("runQueue"), s.get("carriers"), s.get("messagesPerSecond"),
                s.get("reductionsPerSecond"));
        line(b, width, "heap %s / %s   processes %s   ets %s   gc %,d (%,d ms)", bytes(mem.get("heapUsed")),
                bytes(mem.get("heapMax")), bytes(mem.get("processes")), bytes(mem.get("ets")),
                ((Map<String, Object>) s.get("gc")).get("collections"), ((Map<String, Object>) s.get("gc")).get("millis"));
        b.append('\n');
        line(b, width, "Processes by %s (%d of %d); keys: r R b m d p n sort, q quit", sort.label,
                ((List<?>) processes.get("rows")).size(), processes.get("total"));
        line(b, width, "%-14s %-36s %-8s %9s %10s %12s %10s", "PID", "NAME OR INITIAL CALL", "STATUS", "MSGQ",
                "MEMORY", "REDUCTIONS", "REDS/INT");
        for (Map<String, Object> r : (List<Map<String, Object>>) processes.get("rows")) {
            String name = r.get("name") != null ? (String) r.get("name")
                    : r.get("behaviour") != null ? (String) r.get("behaviour") : (String) r.get("initialCall");
            line(b, width, "%-14s %-36s %-8s %,9d %10s %,12d %,10d", r.get("pid"), clip(name, 36), r.get("status"),
                    r.get("messageQueueLength"), bytes(r.get("memory")), r.get("reductions"), r.get("reductionsDelta"));
        }
        b.append('\n');
        List<Map<String, Object>> t = (List<Map<String, Object>>) tables.get("tables");
        List<Map<String, Object>> biggest = t.stream()
                .sorted((x, y) -> Long.compare((Long) y.get("memory"), (Long) x.get("memory"))).limit(10).toList();
        line(b, width, "Tables by memory (%d of %d)", biggest.size(), t.size());
        line(b, width, "%-5s %-24s %-14s %-10s %-14s %12s %10s", "KIND", "NAME", "TYPE", "ACCESS", "OWNER", "SIZE",
                "MEMORY");
        for (Map<String, Object> r : biggest) {
            line(b, width, "%-5s %-24s %-14s %-10s %-14s %,12d %10s", r.get("kind"), clip((String) r.get("name"), 24),
                    r.get("type"), r.get("access"), r.get("owner"), r.get("size"), bytes(r.get("memory")));
        }
        return b.toString();
    }

    private static void line(StringBuilder b, int width, String format, Object... args) {
        String l = String.format(Locale.ROOT, format, args);
        // One screen line per line: control characters in names would move the cursor.
        l = l.replaceAll("\\p{Cntrl}", "?");
        b.append(l.length() <= width ? l : l.substring(0, width)).append('\n');
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    static String bytes(Object o) {
        if (!(o instanceof Long n) || n < 0) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    private static String uptime(Long ms) {
        long s = ms / 1000;
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }
}
