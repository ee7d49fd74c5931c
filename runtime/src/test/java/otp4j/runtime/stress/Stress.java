package otp4j.runtime.stress;

/** Sizes of the stress tests: seconds by default, longer with {@code -Dotp4j.stress.scale=N}. */
final class Stress {
    private Stress() {
    }

    private static final double SCALE = Double.parseDouble(System.getProperty("otp4j.stress.scale", "1"));

    /** {@return {@code n} times the scale, at least 1} */
    static int scaled(int n) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, n * SCALE));
    }
}
