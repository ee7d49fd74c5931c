package otp4j.observer.internal;

import java.util.Arrays;

/** How the observer shows a value it does not know: as text, bounded, never failing. */
public final class Text {
    private Text() {}

    /** Longest text shown for one value. */
    public static final int MAX = 2000;

    /** {@return {@code o} as text, at most {@link #MAX} characters; a failing toString is shown as such} */
    public static String show(Object o) {
        String s;
        try {
            s = switch (o) {
                case null -> "null";
                case Object[] a -> Arrays.deepToString(a);
                case int[] a -> Arrays.toString(a);
                case long[] a -> Arrays.toString(a);
                case byte[] a -> Arrays.toString(a);
                case double[] a -> Arrays.toString(a);
                default -> String.valueOf(o);
            };
        } catch (RuntimeException | StackOverflowError e) {
            return "<toString of " + o.getClass().getName() + " threw " + e.getClass().getSimpleName() + ">";
        }
        if (s == null) {
            return "null";
        }
        return s.length() <= MAX ? s : s.substring(0, MAX) + "...";
    }
}
