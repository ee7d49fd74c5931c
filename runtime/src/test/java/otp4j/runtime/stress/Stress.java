package otp4j.runtime.stress;

/**
 * Sizes of the stress tests: seconds in the normal suite. The {@code stress} Maven profile
 * ({@code ./mvnw -Pstress verify}, see docs/RELIABILITY.md) runs only these tests, with
 * {@code -Dotp4j.stress.scale=10} and {@code -Dotp4j.stress.soak=true}.
 */
final class Stress {
    private Stress() {
    }

    private static final double SCALE = Double.parseDouble(System.getProperty("otp4j.stress.scale", "1"));
    private static final boolean SOAK = Boolean.getBoolean("otp4j.stress.soak");

    /** {@return {@code n} times the scale, at least 1} */
    static int scaled(int n) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, n * SCALE));
    }

    /** {@return {@code normal} in the normal suite, {@code soak} in the stress profile} */
    static long soak(long normal, long soak) {
        return SOAK ? soak : normal;
    }
}
